#!/usr/bin/env python3
"""Load test: messages per second through Postfix + lureguard-milter +
lureguard-server, and the latency the milter adds.

Starts, in a temporary directory, the built lureguard-server (a verdict
key made with the CLI), lureguard-milter, a private Postfix instance
(postfix -c, loopback only, chroot off) relaying to an aiosmtpd Maildir
sink, then submits N copies of a ~50 kB HTML message with 40 links over
SMTP from C concurrent clients.

Prints: SMTP-accepted messages/s (the milter runs inside the SMTP
transaction, so this is the filtered rate), delivered messages/s (until
the last one is in the sink's Maildir), and from the milter's own log
lines the end-of-message callback time, the RPC time and their difference
(what the milter adds), p50 and p99.

Usage (as root, after building lureguard-server, lureguard, lureguard-milter):
  tests/bench/milter_load.py [--build build] [--messages 400] [--clients 4]
"""

import argparse
import concurrent.futures
import json
import os
import pwd
import shutil
import smtplib
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_port(port, timeout=30):
    deadline = time.time() + timeout
    while time.time() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 0.5).close()
            return
        except OSError:
            time.sleep(0.1)
    raise RuntimeError("port %d never opened" % port)


class LogReader:
    """Collects a child's stderr lines in a thread."""

    def __init__(self, process):
        self.lines = []
        self.cond = threading.Condition()
        threading.Thread(target=self._read, args=(process,),
                         daemon=True).start()

    def _read(self, process):
        for line in process.stderr:
            with self.cond:
                self.lines.append(line)
                self.cond.notify_all()

    def wait_for(self, needle, timeout=60):
        deadline = time.time() + timeout
        with self.cond:
            while True:
                for line in self.lines:
                    if needle in line:
                        return line
                if time.time() > deadline:
                    raise RuntimeError("no line with %r" % needle)
                self.cond.wait(0.5)


def make_message(index):
    links = "".join(
        '<p><a href="https://shop%d.partner.example/item/%d?ref=mail">'
        "Item %d</a> in stock, see the catalogue for details.</p>\n"
        % (i % 7, i, i) for i in range(40))
    filler = ("<p>" + "Lorem ipsum dolor sit amet, consectetur adipiscing "
              "elit, sed do eiusmod tempor incididunt ut labore. " * 6 +
              "</p>\n")
    html = "<html><body>\n" + links
    while len(html) < 49_000:
        html += filler
    html += "</body></html>\n"
    return ("From: Shop <news@partner.example>\r\n"
            "To: procurement@acme-logistics.example\r\n"
            "Subject: load %d\r\n"
            "Message-ID: <load-%d@partner.example>\r\n"
            "MIME-Version: 1.0\r\n"
            "Content-Type: text/html; charset=utf-8\r\n"
            "Content-Transfer-Encoding: 8bit\r\n\r\n" % (index, index) +
            html.replace("\n", "\r\n"))


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def main():
    parser = argparse.ArgumentParser()
    root = os.path.dirname(os.path.dirname(os.path.dirname(
        os.path.abspath(__file__))))
    parser.add_argument("--build", default=os.path.join(root, "build"))
    parser.add_argument("--messages", type=int, default=400)
    parser.add_argument("--clients", type=int, default=4)
    args = parser.parse_args()
    server_bin = os.path.join(args.build, "server", "lureguard-server")
    cli_bin = os.path.join(args.build, "client", "lureguard")
    milter_bin = os.path.join(args.build, "client", "milter",
                              "lureguard-milter")

    tmp = tempfile.mkdtemp(prefix="milter-load-")
    os.chmod(tmp, 0o755)
    children = []
    postfix_dir = os.path.join(tmp, "postfix")
    try:
        config = os.path.join(tmp, "lureguard.textproto")
        with open(config, "w") as f:
            f.write("certs { disable_probes: true }\n")
        server = subprocess.Popen(
            [server_bin, "--config", config, "--listen", "127.0.0.1:0",
             "--http_listen", "127.0.0.1:0", "--data_dir",
             os.path.join(tmp, "var")],
            stderr=subprocess.PIPE, text=True)
        children.append(server)
        server_log = LogReader(server)
        address = json.loads(server_log.wait_for('"message":"listening"'))[
            "listen"]
        server_log.wait_for('"message":"serving"')
        admin = open(os.path.join(tmp, "var", "admin.token")).read().strip()
        key = subprocess.run(
            [cli_bin, "--server", address, "--token", admin, "keys", "create",
             "milter-load", "--role", "verdict"],
            capture_output=True, text=True, check=True).stdout.strip()

        milter_port = free_port()
        milter = subprocess.Popen(
            [milter_bin, "--milter_socket", "inet:%d@127.0.0.1" % milter_port,
             "--server", address, "--token", key],
            stderr=subprocess.PIPE, text=True)
        children.append(milter)
        milter_log = LogReader(milter)
        milter_log.wait_for('"message":"listening"')

        sink_port = free_port()
        maildir = os.path.join(tmp, "maildir")
        sink = subprocess.Popen(
            ["/usr/bin/python3", "-m", "aiosmtpd", "-n", "-l",
             "127.0.0.1:%d" % sink_port, "-c", "aiosmtpd.handlers.Mailbox",
             maildir], stderr=subprocess.DEVNULL)
        children.append(sink)
        wait_port(sink_port)

        smtp_port = free_port()
        os.makedirs(postfix_dir)
        os.makedirs(os.path.join(tmp, "queue"))
        data = os.path.join(tmp, "data")
        os.makedirs(data)
        user = pwd.getpwnam("postfix")
        os.chown(data, user.pw_uid, user.pw_gid)
        with open(os.path.join(postfix_dir, "main.cf"), "w") as f:
            f.write("compatibility_level = 3.6\n")
        master = open("/etc/postfix/master.cf").read().splitlines()
        master = [l for l in master if not l.startswith("smtp      inet")]
        master.append("127.0.0.1:%d inet n - n - - smtpd" % smtp_port)
        with open(os.path.join(postfix_dir, "master.cf"), "w") as f:
            f.write("\n".join(master) + "\n")
        settings = [
            "queue_directory=" + os.path.join(tmp, "queue"),
            "data_directory=" + data,
            "maillog_file=" + os.path.join(tmp, "postfix.log"),
            "maillog_file_prefixes=" + tmp,
            "myhostname=mx.lureguard.test", "mydestination=",
            "inet_interfaces=loopback-only", "inet_protocols=ipv4",
            "mynetworks=127.0.0.0/8",
            "relayhost=[127.0.0.1]:%d" % sink_port,
            "smtpd_relay_restrictions=permit_mynetworks,reject",
            "smtpd_peername_lookup=no", "alias_maps=", "alias_database=",
            "local_recipient_maps=", "biff=no",
            "smtpd_milters=inet:127.0.0.1:%d" % milter_port,
            "milter_default_action=accept", "milter_protocol=6",
            "smtp_tls_security_level=none", "smtpd_tls_security_level=none",
        ]
        subprocess.run(["postconf", "-c", postfix_dir, "-e"] + settings,
                       check=True)
        subprocess.run(["postconf", "-c", postfix_dir, "-F",
                        "*/*/chroot = n"], check=True)
        subprocess.run(["postfix", "-c", postfix_dir, "start"], check=True,
                       capture_output=True)
        wait_port(smtp_port)

        messages = [make_message(i) for i in range(args.messages)]
        size = len(messages[0])

        def send(batch):
            with smtplib.SMTP("127.0.0.1", smtp_port) as smtp:
                for message in batch:
                    smtp.sendmail("news@partner.example",
                                  ["procurement@acme-logistics.example"],
                                  message.encode())

        # Warm-up: connections, Postfix processes, the server's caches.
        send(messages[:10])
        warm_lines = len([l for l in milter_log.lines
                          if '"message":"message"' in l])
        batches = [messages[i::args.clients] for i in range(args.clients)]
        start = time.time()
        with concurrent.futures.ThreadPoolExecutor(args.clients) as pool:
            list(pool.map(send, batches))
        accepted = time.time() - start
        new_dir = os.path.join(maildir, "new")
        total = args.messages + 10
        while len(os.listdir(new_dir)) < total:
            if time.time() - start > 600:
                raise RuntimeError("only %d of %d delivered" %
                                   (len(os.listdir(new_dir)), total))
            time.sleep(0.05)
        delivered = time.time() - start

        eom, rpc, added = [], [], []
        lines = [l for l in milter_log.lines if '"message":"message"' in l]
        for line in lines[warm_lines:]:
            entry = json.loads(line)
            e, r = int(entry["eom_us"]), int(entry["rpc_us"])
            eom.append(e / 1000)
            rpc.append(r / 1000)
            added.append((e - r) / 1000)
        verdicts = {}
        rewritten = 0
        for line in lines[warm_lines:]:
            entry = json.loads(line)
            verdicts[entry["verdict"]] = verdicts.get(entry["verdict"], 0) + 1
            rewritten += int(entry["links_rewritten"])

        print("messages: %d x %d bytes, %d SMTP clients, verdicts %s, "
              "%.1f links rewritten per message" %
              (args.messages, size, args.clients, verdicts,
               rewritten / max(1, len(lines) - warm_lines)))
        print("accepted (SMTP, milter inline): %.1f msg/s" %
              (args.messages / accepted))
        print("delivered to the sink:          %.1f msg/s" %
              (args.messages / delivered))
        for name, values in (("eom callback", eom), ("RPC", rpc),
                             ("milter-added (eom - RPC)", added)):
            print("%-26s p50 %7.3f ms  p99 %7.3f ms  mean %7.3f ms" %
                  (name, percentile(values, 50), percentile(values, 99),
                   statistics.mean(values)))
    finally:
        subprocess.run(["postfix", "-c", postfix_dir, "stop"],
                       capture_output=True)
        for child in reversed(children):
            child.terminate()
            try:
                child.wait(timeout=30)
            except subprocess.TimeoutExpired:
                child.kill()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
