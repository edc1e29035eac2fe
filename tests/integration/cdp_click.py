#!/usr/bin/python3
"""Opens a click URL in headless Chromium and presses the page's button.

Drives Chromium over the Chrome DevTools Protocol (websocket-client, Debian
package python3-websocket): navigates to URL, waits for the load, reports
what the page shows, then clicks the first submit button of a form and
reports where the browser landed. The click page has no script and a
strict CSP, so the press has to come from outside.

Reports are JSON lines on stderr, for a test that reads them while the
script runs (tests/testing/subprocess.h):

  {"event": "loaded", "url": ..., "title": ..., "text": ..., "button": ...}
  {"event": "clicked", "url": ..., "title": ..., "text": ..., "status": ...}
  {"event": "error", "message": ...}          (and exit code 1)

With --go-file PATH the script waits, after "loaded", until PATH exists
before it clicks: the test checks the destination saw no request first.

Every wait is bounded (--timeout seconds each); Chromium runs with a fresh
profile, reaches nothing but loopback, and is killed on exit.

Usage: cdp_click.py [--chromium PATH] [--go-file PATH] [--timeout S] URL
"""

import argparse
import json
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request

try:
    import websocket  # websocket-client: Debian's python3-websocket
except ImportError as missing:
    sys.stderr.write(json.dumps({
        "event": "error",
        "message": "%s (apt-get install python3-websocket)" % missing}) + "\n")
    sys.exit(1)

CHROMIUM_FLAGS = [
    "--headless=new",
    "--no-sandbox",  # tests run as root in the build container
    "--disable-gpu",
    "--remote-debugging-port=0",  # a free port, in DevToolsActivePort
    "--remote-debugging-address=127.0.0.1",
    "--window-size=390,844",
    # Nothing but loopback: no first-run, sync, updates, metrics, proxy.
    "--no-first-run",
    "--no-default-browser-check",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-domain-reliability",
    "--disable-client-side-phishing-detection",
    "--metrics-recording-only",
    "--no-pings",
    "--no-proxy-server",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
]

BUTTON = "form button, form input[type=submit]"

PAGE_STATE = """JSON.stringify({
  url: location.href,
  title: document.title,
  text: document.body ? document.body.innerText : "",
  button: !!document.querySelector(%s)
})""" % json.dumps(BUTTON)


class Failure(Exception):
    pass


def report(event, **fields):
    fields = {"event": event, **fields}
    sys.stderr.write(json.dumps(fields) + "\n")
    sys.stderr.flush()


def die_with_parent():
    """Chromium gets SIGKILL if this script dies first (PR_SET_PDEATHSIG)."""
    try:
        import ctypes
        libc = ctypes.CDLL("libc.so.6", use_errno=True)
        libc.prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG = 1
    except OSError:
        pass
    os.setsid()


class Browser:
    """A headless Chromium process with its own profile directory."""

    def __init__(self, chromium, timeout):
        self.profile = tempfile.mkdtemp(prefix="lureguard-cdp-")
        self.log = open(os.path.join(self.profile, "chromium.log"), "w+")
        # Chromium's own temporary files (/tmp/org.chromium.Chromium.*)
        # go inside the profile too: killed, it cannot remove them itself.
        env = dict(os.environ, TMPDIR=self.profile)
        self.process = subprocess.Popen(
            [chromium, "--user-data-dir=" + self.profile] + CHROMIUM_FLAGS +
            ["about:blank"],
            stdin=subprocess.DEVNULL, stdout=self.log, stderr=self.log,
            env=env, preexec_fn=die_with_parent)
        self.port = self._wait_port(timeout)

    def _wait_port(self, timeout):
        path = os.path.join(self.profile, "DevToolsActivePort")
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise Failure("chromium exited with %d: %s" %
                              (self.process.returncode, self.log_tail()))
            try:
                with open(path) as f:
                    first = f.readline().strip()
                if first:
                    return int(first)
            except (OSError, ValueError):
                pass
            time.sleep(0.05)
        raise Failure("no DevToolsActivePort after %ss: %s" %
                      (timeout, self.log_tail()))

    def log_tail(self):
        self.log.flush()
        self.log.seek(0)
        return self.log.read()[-2000:]

    def page_websocket_url(self, timeout):
        # Loopback only: no proxy from the environment.
        opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with opener.open("http://127.0.0.1:%d/json/list" % self.port,
                             timeout=timeout) as answer:
                targets = json.load(answer)
            for target in targets:
                if target.get("type") == "page":
                    return target["webSocketDebuggerUrl"]
            time.sleep(0.05)
        raise Failure("chromium has no page target")

    def close(self):
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait()
        self.log.close()
        shutil.rmtree(self.profile, ignore_errors=True)


class Cdp:
    """A DevTools session on one page: commands, and the events between."""

    def __init__(self, ws_url, timeout):
        self.ws = websocket.create_connection(ws_url, timeout=timeout,
                                              suppress_origin=True)
        self.next_id = 0
        self.events = []
        self.document_status = {}  # URL -> HTTP status of documents

    def _receive(self, deadline):
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise Failure("DevTools timed out")
        self.ws.settimeout(remaining)
        try:
            message = json.loads(self.ws.recv())
        except websocket.WebSocketTimeoutException:
            raise Failure("DevTools timed out") from None
        if (message.get("method") == "Network.responseReceived" and
                message["params"].get("type") == "Document"):
            response = message["params"]["response"]
            self.document_status[response["url"]] = response["status"]
        return message

    def call(self, method, timeout, **params):
        self.next_id += 1
        self.ws.send(json.dumps({"id": self.next_id, "method": method,
                                 "params": params}))
        deadline = time.monotonic() + timeout
        while True:
            message = self._receive(deadline)
            if message.get("id") == self.next_id:
                if "error" in message:
                    raise Failure("%s: %s" % (method, message["error"]))
                return message.get("result", {})
            if "method" in message:
                self.events.append(message)

    def wait_event(self, method, timeout, predicate=lambda params: True):
        deadline = time.monotonic() + timeout
        while True:
            while self.events:
                event = self.events.pop(0)
                if event["method"] == method and predicate(event["params"]):
                    return event["params"]
            message = self._receive(deadline)
            if "method" in message:
                self.events.append(message)

    def evaluate(self, expression, timeout):
        result = self.call("Runtime.evaluate", timeout, expression=expression,
                           returnByValue=True)
        if "exceptionDetails" in result:
            raise Failure("%s: %s" % (expression, result["exceptionDetails"]))
        return result["result"].get("value")

    def close(self):
        self.ws.close()


def wait_for_file(path, timeout):
    deadline = time.monotonic() + timeout
    while not os.path.exists(path):
        if time.monotonic() >= deadline:
            raise Failure("no %s after %ss" % (path, timeout))
        time.sleep(0.05)


def click_through(cdp, url, go_file, timeout):
    cdp.call("Page.enable", timeout)
    cdp.call("Network.enable", timeout)
    cdp.events.clear()
    navigated = cdp.call("Page.navigate", timeout, url=url)
    if navigated.get("errorText"):
        raise Failure("navigate: %s" % navigated["errorText"])
    cdp.wait_event("Page.loadEventFired", timeout)
    report("loaded", **json.loads(cdp.evaluate(PAGE_STATE, timeout)))

    if go_file:
        wait_for_file(go_file, timeout)
    cdp.events.clear()
    cdp.evaluate("document.querySelector(%s).click()" % json.dumps(BUTTON),
                 timeout)
    # The press POSTs to the click URL; its 303 leads to the destination.
    cdp.wait_event(
        "Page.frameNavigated", timeout,
        lambda params: "parentId" not in params["frame"] and
        params["frame"]["url"] != url)
    while True:
        cdp.wait_event("Page.loadEventFired", timeout)
        final = json.loads(cdp.evaluate(PAGE_STATE, timeout))
        if final["url"] != url:
            break
    report("clicked", status=cdp.document_status.get(final["url"]), **final)
    return final


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("--chromium", default="/usr/bin/chromium")
    parser.add_argument("--go-file")
    parser.add_argument("--timeout", type=float, default=20)
    args = parser.parse_args()
    for name in ("http_proxy", "https_proxy", "all_proxy", "HTTP_PROXY",
                 "HTTPS_PROXY", "ALL_PROXY"):
        os.environ.pop(name, None)
    # A SIGTERM from the test still kills Chromium (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))

    browser = None
    cdp = None
    try:
        browser = Browser(args.chromium, args.timeout)
        cdp = Cdp(browser.page_websocket_url(args.timeout), args.timeout)
        final = click_through(cdp, args.url, args.go_file, args.timeout)
        print(json.dumps(final))
        return 0
    except (Failure, OSError, websocket.WebSocketException) as error:
        report("error", message=str(error))
        return 1
    finally:
        if cdp is not None:
            cdp.close()
        if browser is not None:
            browser.close()


if __name__ == "__main__":
    sys.exit(main())
