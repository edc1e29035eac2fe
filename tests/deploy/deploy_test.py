#!/usr/bin/env python3
"""Checks the files in deploy/ against the code they ship.

No container engine or cluster runs here, so these tests validate what can
be validated on one machine: the runtime package list the image installs,
the configs each deployment carries (parsed and validated by the real
server binary), the systemd unit (systemd-analyze), and the Kubernetes
manifests' internal consistency (ports, selectors, probes, security).

  deploy_test.py SOURCE_DIR BINARY_DIR
"""

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import unittest

import yaml

SOURCE_DIR = ""
BINARY_DIR = ""


def read(*parts):
    with open(os.path.join(*parts)) as f:
        return f.read()


def server_binary():
    return os.path.join(BINARY_DIR, "server", "lureguard-server")


def cli_binary():
    return os.path.join(BINARY_DIR, "client", "lureguard")


def milter_binary():
    return os.path.join(BINARY_DIR, "client", "milter", "lureguard-milter")


def check_config(text):
    """Runs lureguard-server --check_config on `text`; returns the result."""
    with tempfile.NamedTemporaryFile("w", suffix=".textproto") as f:
        f.write(text)
        f.flush()
        return subprocess.run(
            [server_binary(), "--config", f.name, "--check_config"],
            capture_output=True, text=True, timeout=60)


def make_tls_files(directory):
    """A test CA (ca.crt) and a server certificate for localhost signed by
    it (tls.crt, tls.key), as the lureguard-tls Secret would hold them."""
    def openssl(*args):
        subprocess.run(["openssl"] + list(args), cwd=directory, check=True,
                       capture_output=True, timeout=60)
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
            "-subj", "/CN=Lureguard test CA", "-keyout", "ca.key",
            "-out", "ca.crt")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost",
            "-keyout", "tls.key", "-out", "tls.csr")
    with open(os.path.join(directory, "san.ext"), "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\n")
    openssl("x509", "-req", "-in", "tls.csr", "-CA", "ca.crt",
            "-CAkey", "ca.key", "-CAcreateserial", "-days", "2",
            "-extfile", "san.ext", "-out", "tls.crt")


def wait_for_grpc_port(server):
    """Reads the server's JSON log until it serves; returns the gRPC port.
    A thread keeps draining stderr afterwards so the server never blocks."""
    port = None
    for line in server.stderr:
        record = json.loads(line)
        if record.get("message") == "listening":
            port = int(record["listen"].rsplit(":", 1)[1])
        if record.get("message") == "serving":
            break
    else:
        raise AssertionError("the server exited before serving")
    threading.Thread(target=lambda: [None for _ in server.stderr],
                     daemon=True).start()
    return port


def setup_packages():
    text = read(SOURCE_DIR, "scripts", "setup")
    body = re.search(r"PACKAGES=\((.*?)\)", text, re.S).group(1)
    return set(body.split())


class ContainerTest(unittest.TestCase):
    dockerfile = ""

    @classmethod
    def setUpClass(cls):
        cls.dockerfile = read(SOURCE_DIR, "deploy", "container", "Dockerfile")

    def test_runtime_packages_cover_the_built_binaries(self):
        script = os.path.join(SOURCE_DIR, "deploy", "container",
                              "runtime-packages.sh")
        out = subprocess.run(
            [script, server_binary(), cli_binary(), milter_binary()],
            capture_output=True, text=True, check=True)
        packages = out.stdout.split()
        for expected in ("libgrpc++1.51", "libsqlite3-0", "libssl3",
                         "libicu72", "libpsl5", "libcurl4", "libmilter1.0.1"):
            self.assertIn(expected, packages)
        status = subprocess.run(
            ["dpkg-query", "-W", "-f=${Package} ${Status}\n"] + packages,
            capture_output=True, text=True)
        installed = {line.split()[0] for line in status.stdout.splitlines()
                     if line.endswith("install ok installed")}
        self.assertEqual(set(packages) - installed, set())

    def build_stage_packages(self):
        build_stage = self.dockerfile.split("FROM debian:12-slim\n")[0]
        install = re.search(r"apt-get install[^\n]*\\\n(.*?)&& rm",
                            build_stage, re.S).group(1)
        return {w for w in install.replace("\\", " ").split()
                if not w.startswith("-")}

    def test_build_stage_installs_only_packages_ci_proves(self):
        wanted = self.build_stage_packages()
        self.assertTrue(wanted)
        self.assertLessEqual(wanted, setup_packages())

    # Packages scripts/setup installs only to test, lint, fuzz or
    # benchmark: everything else in it is needed to build the binaries.
    TEST_ONLY_PACKAGES = {
        "git", "libgtest-dev", "libgmock-dev", "libbenchmark-dev",
        "clang-14", "libclang-rt-14-dev", "clang-format", "openssl",
        "python3", "python3-yaml", "nginx", "ccache", "chromium",
        # CPython's email test corpus: real mail for the mail tests.
        "libpython3.11-testsuite",
        # The milter's integration test: a private Postfix and a sink.
        "postfix", "python3-aiosmtpd",
        # The links test presses a click page's button over DevTools.
        "python3-websocket",
        # The PostgreSQL store's tests start throwaway clusters.
        "postgresql-15",
    }

    def test_build_stage_installs_every_build_package(self):
        wanted = self.build_stage_packages()
        missing = setup_packages() - self.TEST_ONLY_PACKAGES - wanted
        self.assertEqual(missing, set(),
                         "scripts/setup installs these for the build, but "
                         "the image's build stage does not")

    def test_copied_paths_exist(self):
        for source in re.findall(r"^COPY (?!--from)(\S+)", self.dockerfile,
                                 re.M):
            self.assertTrue(os.path.exists(os.path.join(SOURCE_DIR, source)),
                            source)

    def test_runs_unprivileged_with_a_health_check(self):
        final_stage = self.dockerfile.split("FROM debian:12-slim\n")[-1]
        user = re.search(r"^USER (\d+):(\d+)$", final_stage, re.M)
        self.assertIsNotNone(user)
        self.assertNotEqual(user.group(1), "0")
        self.assertRegex(final_stage, r"HEALTHCHECK .*\n\s+CMD \[\"lureguard\"")

    def test_image_config_is_valid(self):
        config = read(SOURCE_DIR, "deploy", "container",
                                   "config.textproto")
        result = check_config(config)
        self.assertEqual(result.returncode, 0, result.stderr)


class SystemdTest(unittest.TestCase):
    def setUp(self):
        if shutil.which("systemd-analyze") is None:
            self.skipTest("systemd-analyze not installed")
        self.unit = read(SOURCE_DIR, "deploy", "systemd",
                                      "lureguard.service")

    def test_unit_verifies(self):
        with tempfile.TemporaryDirectory() as tmp:
            # verify checks that ExecStart binaries exist: point it at ours.
            unit = self.unit.replace("/usr/local/bin/lureguard-server",
                                     server_binary())
            path = os.path.join(tmp, "lureguard.service")
            with open(path, "w") as f:
                f.write(unit)
            result = subprocess.run(["systemd-analyze", "verify", path],
                                    capture_output=True, text=True)
            problems = [l for l in result.stderr.splitlines()
                        if "lureguard.service" in l]
            self.assertEqual(problems, [])

    def test_unit_is_hardened(self):
        path = os.path.join(SOURCE_DIR, "deploy", "systemd",
                            "lureguard.service")
        # Exposure is scored 0 (locked down) to 10; 2.0 or less reads "OK".
        result = subprocess.run(
            ["systemd-analyze", "security", "--offline=yes",
             "--threshold=20", path], capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stdout[-600:])

    def test_config_is_valid(self):
        config = read(SOURCE_DIR, "deploy", "systemd",
                                   "config.textproto")
        result = check_config(config)
        self.assertEqual(result.returncode, 0, result.stderr)


class MilterDeployTest(unittest.TestCase):
    """deploy/systemd/lureguard-milter.service, its config and the Postfix
    snippet, against the built lureguard-milter."""

    def test_config_is_valid(self):
        path = os.path.join(SOURCE_DIR, "deploy", "systemd",
                            "milter.textproto")
        result = subprocess.run(
            [milter_binary(), "--config", path, "--check_config"],
            capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("on_block: BLOCK_QUARANTINE", result.stdout)

    def test_unit_verifies_and_is_hardened(self):
        if shutil.which("systemd-analyze") is None:
            self.skipTest("systemd-analyze not installed")
        unit = read(SOURCE_DIR, "deploy", "systemd",
                    "lureguard-milter.service")
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "lureguard-milter.service")
            with open(path, "w") as f:
                f.write(unit.replace("/usr/local/bin/lureguard-milter",
                                     milter_binary()))
            result = subprocess.run(["systemd-analyze", "verify", path],
                                    capture_output=True, text=True)
            problems = [l for l in result.stderr.splitlines()
                        if "lureguard-milter.service" in l]
            self.assertEqual(problems, [])
        result = subprocess.run(
            ["systemd-analyze", "security", "--offline=yes",
             "--threshold=20",
             os.path.join(SOURCE_DIR, "deploy", "systemd",
                          "lureguard-milter.service")],
            capture_output=True, text=True)
        self.assertEqual(result.returncode, 0, result.stdout[-600:])

    def test_postfix_snippet_names_the_milter_socket(self):
        snippet = read(SOURCE_DIR, "deploy", "postfix", "main.cf.snippet")
        settings = dict(
            (k.strip(), v.strip()) for k, v in
            (line.split("=", 1) for line in snippet.splitlines()
             if line.strip() and not line.startswith("#")))
        for name in ("smtpd_milters", "non_smtpd_milters",
                     "milter_default_action", "milter_connect_timeout",
                     "milter_content_timeout", "milter_protocol"):
            self.assertIn(name, settings)
        self.assertEqual(settings["milter_protocol"], "6")
        config = read(SOURCE_DIR, "deploy", "systemd", "milter.textproto")
        # inet:10025@127.0.0.1 (libmilter) is inet:127.0.0.1:10025 (Postfix).
        socket = re.search(r'milter_socket: "inet:(\d+)@([^"]+)"', config)
        self.assertEqual(settings["smtpd_milters"],
                         "inet:%s:%s" % (socket.group(2), socket.group(1)))


class KubernetesTest(unittest.TestCase):
    docs = {}

    @classmethod
    def setUpClass(cls):
        root = os.path.join(SOURCE_DIR, "deploy", "kubernetes")
        kustomization = yaml.safe_load(read(root, "kustomization.yaml"))
        cls.docs = {}
        for resource in kustomization["resources"]:
            for doc in yaml.safe_load_all(read(root, resource)):
                cls.docs[doc["kind"]] = doc
        cls.secret = yaml.safe_load(read(root, "secret.example.yaml"))

    def pod(self):
        return self.docs["Deployment"]["spec"]["template"]

    def container(self):
        return self.pod()["spec"]["containers"][0]

    def config_text(self):
        return self.docs["ConfigMap"]["data"]["config.textproto"]

    def test_every_kind_is_there(self):
        for kind in ("Deployment", "Service", "ConfigMap",
                     "PodDisruptionBudget", "PersistentVolumeClaim"):
            self.assertIn(kind, self.docs)
        self.assertEqual(self.secret["kind"], "Secret")

    def test_selectors_match_the_pod(self):
        labels = self.pod()["metadata"]["labels"]
        deployment = self.docs["Deployment"]["spec"]["selector"]["matchLabels"]
        pdb = self.docs["PodDisruptionBudget"]["spec"]["selector"][
            "matchLabels"]
        service = self.docs["Service"]["spec"]["selector"]
        for selector in (deployment, pdb, service):
            self.assertLessEqual(selector.items(), labels.items())

    def test_ports_agree_with_the_config(self):
        ports = {p["name"]: p["containerPort"]
                 for p in self.container()["ports"]}
        for port in self.docs["Service"]["spec"]["ports"]:
            self.assertIn(port["targetPort"], ports)
        config = self.config_text()
        for field, name in (("listen", "grpc"), ("http_listen", "https"),
                            ("metrics_listen", "metrics")):
            listen = re.search(r'^\s*%s: "([^"]+)"' % field, config, re.M)
            self.assertIsNotNone(listen, field)
            self.assertEqual(int(listen.group(1).rsplit(":", 1)[1]),
                             ports[name], field)

    def test_runs_locked_down(self):
        pod_security = self.pod()["spec"]["securityContext"]
        self.assertTrue(pod_security["runAsNonRoot"])
        self.assertNotEqual(pod_security["runAsUser"], 0)
        security = self.container()["securityContext"]
        self.assertFalse(security["allowPrivilegeEscalation"])
        self.assertTrue(security["readOnlyRootFilesystem"])
        self.assertEqual(security["capabilities"]["drop"], ["ALL"])

    def test_readiness_asks_grpc_health(self):
        probe = self.container()["readinessProbe"]["exec"]["command"]
        self.assertEqual(probe[0], "lureguard")
        self.assertEqual(probe[-1], "health")
        self.assertIn("startupProbe", self.container())
        self.assertIn("livenessProbe", self.container())

    def test_files_the_config_names_are_mounted(self):
        mounts = [m["mountPath"] for m in self.container()["volumeMounts"]]
        for path in re.findall(r'_file: "([^"]+)"', self.config_text()):
            self.assertTrue(any(path.startswith(m) for m in mounts), path)
        data_dir = re.search(r'data_dir: "([^"]+)"', self.config_text())
        self.assertIn(data_dir.group(1), mounts)

    def test_grace_period_covers_the_drain(self):
        grace = re.search(r"shutdown_grace \{ seconds: (\d+) \}",
                          self.config_text())
        pre_stop = int(self.container()["lifecycle"]["preStop"]["exec"][
            "command"][1])
        self.assertGreater(
            self.pod()["spec"]["terminationGracePeriodSeconds"],
            int(grace.group(1)) + pre_stop)

    def test_probe_command_passes_against_the_configured_server(self):
        """Runs the ConfigMap's config (TLS included) and the readiness
        probe's exact command against it, with only paths and ports moved
        to the test's own."""
        with tempfile.TemporaryDirectory() as tmp:
            tls = os.path.join(tmp, "tls")
            os.mkdir(tls)
            make_tls_files(tls)
            config = self.config_text().replace("/etc/lureguard/tls", tls)
            config_path = os.path.join(tmp, "config.textproto")
            open(config_path, "w").write(config)
            server = subprocess.Popen(
                [server_binary(), "--config", config_path,
                 "--data_dir", os.path.join(tmp, "data"),
                 "--listen", "127.0.0.1:0", "--http_listen", "127.0.0.1:0",
                 "--metrics_listen", "127.0.0.1:0"],
                stderr=subprocess.PIPE, text=True)
            try:
                port = wait_for_grpc_port(server)
                probe = [a.replace("localhost:50051", "localhost:%d" % port)
                          .replace("/etc/lureguard/tls", tls)
                         for a in self.container()["readinessProbe"]["exec"][
                             "command"]]
                probe[0] = cli_binary()
                deadline = time.time() + 60
                while True:
                    result = subprocess.run(probe, capture_output=True,
                                            text=True, timeout=30)
                    if result.returncode == 0 or time.time() > deadline:
                        break
                    time.sleep(0.2)
                self.assertEqual(result.returncode, 0,
                                 result.stdout + result.stderr)
            finally:
                server.terminate()
                server.wait(timeout=60)


if __name__ == "__main__":
    SOURCE_DIR, BINARY_DIR = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1], verbosity=2)
