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


def check_config(text, extra_flags=()):
    """Runs lureguard-server --check_config on `text` (and flags); returns
    the result."""
    with tempfile.NamedTemporaryFile("w", suffix=".textproto") as f:
        f.write(text)
        f.flush()
        return subprocess.run(
            [server_binary(), "--config", f.name, "--check_config"]
            + list(extra_flags),
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
                         "libicu72", "libpsl5", "libcurl4", "libmilter1.0.1",
                         "libhiredis0.14"):
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
        # Login counter tests start throwaway Redis servers.
        "redis-server",
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


class HelpTest(unittest.TestCase):
    """`--help` of each daemon lists every flag its main.cc defines (the
    units and manifests in deploy/ pass them; an operator reads them
    there)."""

    def assert_help_lists_flags(self, binary, main_source):
        flags = re.findall(r"ABSL_FLAG\(\s*[\w:]+,\s*(\w+),",
                           read(SOURCE_DIR, main_source))
        self.assertGreater(len(flags), 3)
        result = subprocess.run([binary, "--help"], capture_output=True,
                                text=True, timeout=60)
        text = result.stdout + result.stderr
        self.assertNotIn("No flags matched", text)
        for flag in flags:
            self.assertRegex(text, rf"--{flag}\b", flag)

    def test_server_help_lists_its_flags(self):
        self.assert_help_lists_flags(server_binary(), "server/main.cc")

    def test_milter_help_lists_its_flags(self):
        self.assert_help_lists_flags(milter_binary(), "client/milter/main.cc")


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


def strategic_merge(base, patch):
    """Kubernetes' strategic-merge patch, as much of it as the overlays
    use: maps merge key by key (null deletes), lists of named maps
    (containers, env, volumes) merge by name (`$patch: delete` removes
    one), other lists are replaced."""
    if isinstance(patch, dict) and isinstance(base, dict):
        merged = dict(base)
        for key, value in patch.items():
            if value is None:
                merged.pop(key, None)
            elif key in merged:
                merged[key] = strategic_merge(merged[key], value)
            else:
                merged[key] = value
        return merged
    if (isinstance(patch, list) and isinstance(base, list) and base
            and all(isinstance(i, dict) and "name" in i
                    for i in base + patch)):
        merged = [dict(i) for i in base]
        for item in patch:
            names = [m["name"] for m in merged]
            if item.get("$patch") == "delete":
                if item["name"] in names:
                    merged.pop(names.index(item["name"]))
            elif item["name"] in names:
                at = names.index(item["name"])
                merged[at] = strategic_merge(merged[at], item)
            else:
                merged.append(item)
        return merged
    return patch


def build_kustomization(directory):
    """What `kubectl kustomize DIRECTORY` would print, for the features
    deploy/kubernetes uses (resources, nested bases, patches, labels), as
    {(kind, name): object}."""
    kustomization = yaml.safe_load(read(directory, "kustomization.yaml"))
    objects = {}
    for resource in kustomization.get("resources", []):
        path = os.path.normpath(os.path.join(directory, resource))
        if os.path.isdir(path):
            objects.update(build_kustomization(path))
            continue
        for doc in yaml.safe_load_all(read(path)):
            objects[(doc["kind"], doc["metadata"]["name"])] = doc
    for entry in kustomization.get("patches", []):
        patch = yaml.safe_load(read(directory, entry["path"]))
        key = (patch["kind"], patch["metadata"]["name"])
        if key not in objects:
            raise AssertionError("%s patches %s, which no resource defines"
                                 % (entry["path"], key))
        if patch.get("$patch") == "delete":
            del objects[key]
        else:
            objects[key] = strategic_merge(objects[key], patch)
    for entry in kustomization.get("labels", []):
        for obj in objects.values():
            obj["metadata"].setdefault("labels", {}).update(entry["pairs"])
    return objects


KUBERNETES = os.path.join("deploy", "kubernetes")
API_VERSIONS = {
    "Deployment": "apps/v1", "Service": "v1", "ConfigMap": "v1",
    "PodDisruptionBudget": "policy/v1",
    "HorizontalPodAutoscaler": "autoscaling/v2",
    "NetworkPolicy": "networking.k8s.io/v1",
    "PersistentVolumeClaim": "v1", "Secret": "v1",
}


class KubernetesShape:
    """Checks every shape (the replicated base, the single-SQLite overlay)
    must pass. Subclasses name the directory."""
    directory = ""
    objects = {}

    @classmethod
    def setUpClass(cls):
        cls.objects = build_kustomization(
            os.path.join(SOURCE_DIR, KUBERNETES, cls.directory))
        cls.secrets = {
            doc["metadata"]["name"]: doc for doc in yaml.safe_load_all(
                read(SOURCE_DIR, KUBERNETES, "base", "secret.example.yaml"))}

    def of_kind(self, kind):
        return [o for (k, _), o in self.objects.items() if k == kind]

    def one(self, kind):
        found = self.of_kind(kind)
        self.assertEqual(len(found), 1, kind)
        return found[0]

    def deployment(self):
        return self.one("Deployment")

    def pod(self):
        return self.deployment()["spec"]["template"]

    def container(self):
        return self.pod()["spec"]["containers"][0]

    def config_text(self):
        return self.one("ConfigMap")["data"]["config.textproto"]

    def container_ports(self):
        return {p["name"]: p["containerPort"]
                for p in self.container()["ports"]}

    def test_api_versions_are_the_stable_ones(self):
        for (kind, name), obj in self.objects.items():
            self.assertEqual(obj["apiVersion"], API_VERSIONS[kind],
                             "%s/%s" % (kind, name))
        for secret in self.secrets.values():
            self.assertEqual(secret["apiVersion"], "v1")

    def test_selectors_match_the_pod(self):
        labels = self.pod()["metadata"]["labels"]
        selectors = [self.deployment()["spec"]["selector"]["matchLabels"]]
        selectors += [p["spec"]["selector"]["matchLabels"]
                      for p in self.of_kind("PodDisruptionBudget")]
        selectors += [s["spec"]["selector"] for s in self.of_kind("Service")]
        selectors += [n["spec"]["podSelector"]["matchLabels"]
                      for n in self.of_kind("NetworkPolicy")]
        selectors += [c["labelSelector"]["matchLabels"] for c in
                      self.pod()["spec"].get("topologySpreadConstraints", [])]
        for selector in selectors:
            self.assertTrue(selector)
            self.assertLessEqual(selector.items(), labels.items())

    def test_ports_agree_with_the_config(self):
        ports = self.container_ports()
        for service in self.of_kind("Service"):
            for port in service["spec"]["ports"]:
                self.assertIn(port["targetPort"], ports)
                self.assertEqual(port["port"], ports[port["targetPort"]])
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
        self.assertFalse(self.pod()["spec"]["automountServiceAccountToken"])
        security = self.container()["securityContext"]
        self.assertFalse(security["allowPrivilegeEscalation"])
        self.assertTrue(security["readOnlyRootFilesystem"])
        self.assertEqual(security["capabilities"]["drop"], ["ALL"])
        resources = self.container()["resources"]
        self.assertIn("cpu", resources["requests"])
        self.assertIn("memory", resources["limits"])

    def test_probes_ask_grpc_health_on_the_grpc_port(self):
        grpc_port = self.container_ports()["grpc"]
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            command = self.container()[probe]["exec"]["command"]
            self.assertEqual(command[0], "lureguard", probe)
            self.assertEqual(command[-1], "health", probe)
            server = command[command.index("--server") + 1]
            self.assertEqual(server, "localhost:%d" % grpc_port, probe)

    def test_files_the_config_names_are_mounted_from_what_exists(self):
        mounts = {m["mountPath"]: m["name"]
                  for m in self.container()["volumeMounts"]}
        volumes = {v["name"]: v for v in self.pod()["spec"]["volumes"]}
        self.assertEqual(set(mounts.values()), set(volumes))
        for path in re.findall(r'_file: "([^"]+)"', self.config_text()):
            mount = [m for m in mounts if path.startswith(m + "/")]
            self.assertTrue(mount, path)
            volume = volumes[mounts[mount[0]]]
            if "secret" in volume:
                # The file is a key of a Secret the example shows.
                secret = self.secrets[volume["secret"]["secretName"]]
                self.assertIn(os.path.basename(path), secret["data"], path)
            elif "configMap" in volume:
                self.assertIn(volume["configMap"]["name"],
                              [c["metadata"]["name"]
                               for c in self.of_kind("ConfigMap")])
        data_dir = re.search(r'data_dir: "([^"]+)"', self.config_text())
        self.assertIn(data_dir.group(1), mounts)
        for volume in volumes.values():
            if "persistentVolumeClaim" in volume:
                self.assertIn(
                    ("PersistentVolumeClaim",
                     volume["persistentVolumeClaim"]["claimName"]),
                    self.objects)

    def test_image_matches_the_container_build(self):
        dockerfile = read(SOURCE_DIR, "deploy", "container", "Dockerfile")
        tag = re.search(r"-t (lureguard:\S+)", dockerfile).group(1)
        self.assertEqual(self.container()["image"], tag)
        args = self.container()["args"]
        self.assertEqual(args[:2], ["--config",
                                    "/etc/lureguard/config.textproto"])

    def test_every_variable_in_args_comes_from_a_secret_key(self):
        env = {e["name"]: e for e in self.container().get("env", [])}
        for arg in self.container()["args"]:
            for name in re.findall(r"\$\((\w+)\)", arg):
                self.assertIn(name, env)
                ref = env[name]["valueFrom"]["secretKeyRef"]
                secret = self.secrets[ref["name"]]
                self.assertIn(ref["key"], secret.get("stringData", {}))
        for name in env:
            self.assertIn("$(%s)" % name, self.container()["args"])

    def test_grace_period_covers_the_drain(self):
        grace = re.search(r"shutdown_grace \{ seconds: (\d+) \}",
                          self.config_text())
        pre_stop = int(self.container()["lifecycle"]["preStop"]["exec"][
            "command"][1])
        self.assertGreater(
            self.pod()["spec"]["terminationGracePeriodSeconds"],
            int(grace.group(1)) + pre_stop)

    def test_disruption_budget_leaves_a_drain_possible(self):
        pdb = self.one("PodDisruptionBudget")
        replicas = self.deployment()["spec"]["replicas"]
        if "minAvailable" in pdb["spec"]:
            self.assertLess(pdb["spec"]["minAvailable"], replicas)
        else:
            self.assertGreaterEqual(pdb["spec"]["maxUnavailable"], 1)

    def run_with_config(self, extra_flags):
        """Starts the server on the ConfigMap's config (TLS and keys
        included, paths and ports moved to the test's own) and runs the
        readiness probe's exact command against it."""
        with tempfile.TemporaryDirectory() as tmp:
            tls = os.path.join(tmp, "tls")
            keys = os.path.join(tmp, "keys")
            os.mkdir(tls)
            os.mkdir(keys)
            make_tls_files(tls)
            for key in ("login.key", "links.key"):
                with open(os.path.join(keys, key), "wb") as f:
                    f.write(os.urandom(32))
            config = (self.config_text()
                      .replace("/etc/lureguard/tls", tls)
                      .replace("/etc/lureguard/keys", keys))
            config_path = os.path.join(tmp, "config.textproto")
            with open(config_path, "w") as f:
                f.write(config)
            server = subprocess.Popen(
                [server_binary(), "--config", config_path,
                 "--data_dir", os.path.join(tmp, "data"),
                 "--listen", "127.0.0.1:0", "--http_listen", "127.0.0.1:0",
                 "--metrics_listen", "127.0.0.1:0"] + extra_flags,
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


class KubernetesReplicasTest(KubernetesShape, unittest.TestCase):
    """deploy/kubernetes/base: three replicas, PostgreSQL and Redis."""
    directory = "base"

    def test_every_kind_is_there(self):
        kinds = {kind for kind, _ in self.objects}
        self.assertEqual(kinds, {"Deployment", "Service", "ConfigMap",
                                 "PodDisruptionBudget",
                                 "HorizontalPodAutoscaler", "NetworkPolicy",
                                 "PersistentVolumeClaim"})
        self.assertEqual(set(self.secrets),
                         {"lureguard-tls", "lureguard-keys",
                          "lureguard-stores"})

    def test_image_tag_is_the_project_version(self):
        version = re.search(r"project\(lureguard VERSION ([0-9.]+)",
                            read(SOURCE_DIR, "CMakeLists.txt")).group(1)
        self.assertEqual(self.container()["image"], f"lureguard:{version}")

    def test_three_replicas_roll_without_losing_one(self):
        spec = self.deployment()["spec"]
        self.assertEqual(spec["replicas"], 3)
        self.assertEqual(spec["strategy"]["type"], "RollingUpdate")
        self.assertEqual(spec["strategy"]["rollingUpdate"]["maxUnavailable"],
                         0)
        self.assertEqual(self.one("PodDisruptionBudget")["spec"][
            "minAvailable"], 2)

    def test_autoscaler_targets_the_deployment(self):
        hpa = self.one("HorizontalPodAutoscaler")["spec"]
        deployment = self.deployment()
        self.assertEqual(hpa["scaleTargetRef"],
                         {"apiVersion": deployment["apiVersion"],
                          "kind": "Deployment",
                          "name": deployment["metadata"]["name"]})
        self.assertGreaterEqual(hpa["minReplicas"],
                                deployment["spec"]["replicas"])
        self.assertGreater(hpa["maxReplicas"], hpa["minReplicas"])
        self.assertEqual(hpa["metrics"][0]["resource"]["name"], "cpu")

    def test_a_headless_service_serves_grpc_for_round_robin(self):
        headless = [s for s in self.of_kind("Service")
                    if s["spec"].get("clusterIP") == "None"]
        self.assertEqual(len(headless), 1)
        ports = headless[0]["spec"]["ports"]
        self.assertEqual([p["targetPort"] for p in ports], ["grpc"])
        self.assertEqual(ports[0]["appProtocol"], "grpc")

    def test_network_policy_lets_in_callers_and_out_the_stores(self):
        policy = self.one("NetworkPolicy")["spec"]
        self.assertEqual(set(policy["policyTypes"]), {"Ingress", "Egress"})
        ports = self.container_ports()
        allowed_in = {p["port"] for rule in policy["ingress"]
                      for p in rule["ports"]}
        self.assertEqual(allowed_in, {"grpc", "https", "metrics"})
        self.assertLessEqual(allowed_in, set(ports))
        metrics_rule = [r for r in policy["ingress"]
                        if r["ports"] == [{"port": "metrics"}]][0]
        self.assertIn("from", metrics_rule)
        allowed_out = {p["port"] for rule in policy["egress"]
                       for p in rule["ports"]}
        self.assertLessEqual({53, 5432, 6379, 443}, allowed_out)
        redis_url = self.secrets["lureguard-stores"]["stringData"][
            "redis-url"]
        self.assertIn(int(re.search(r":(\d+)/", redis_url).group(1)),
                      allowed_out)

    def test_store_and_counters_are_shared(self):
        args = self.container()["args"]
        self.assertIn("--store", args)
        self.assertIn("--counter_store", args)
        config = self.config_text()
        self.assertRegex(config, r'counter_store \{\s*key_file: "/etc/')
        self.assertRegex(config, r'signing_keys \{ id: "k1" secret_file: '
                                 r'"/etc/')

    def test_breached_passwords_are_on_a_volume_every_replica_mounts(self):
        path = re.search(r'breached_password_path: "([^"]+)"',
                         self.config_text()).group(1)
        mounts = {m["mountPath"]: m["name"]
                  for m in self.container()["volumeMounts"]}
        self.assertIn(os.path.dirname(path), mounts)
        volume = [v for v in self.pod()["spec"]["volumes"]
                  if v["name"] == mounts[os.path.dirname(path)]][0]
        claim = self.objects[("PersistentVolumeClaim",
                              volume["persistentVolumeClaim"]["claimName"])]
        self.assertEqual(claim["spec"]["accessModes"], ["ReadWriteMany"])

    def test_config_with_the_redis_url_is_valid(self):
        redis_url = self.secrets["lureguard-stores"]["stringData"][
            "redis-url"]
        result = check_config(self.config_text(),
                              ["--counter_store", redis_url])
        self.assertEqual(result.returncode, 0, result.stderr)
        self.assertIn("counter_store", result.stdout)
        # The printed config does not repeat the Redis password.
        self.assertNotIn("CHANGE-ME", result.stdout)
        self.assertIn("redis://:****@redis-master:6379/0", result.stdout)
        # Without the shared key the same config is refused, naming it.
        result = check_config(
            re.sub(r'key_file: "/etc/lureguard/keys/login.key"', "",
                   self.config_text()), ["--counter_store", redis_url])
        self.assertEqual(result.returncode, 1)
        self.assertIn("counter_store.key_file", result.stderr)

    def test_probe_command_passes_against_the_configured_server(self):
        # Counters in memory here: the probe does not depend on Redis.
        self.run_with_config([])


class KubernetesSingleSqliteTest(KubernetesShape, unittest.TestCase):
    """deploy/kubernetes/overlays/single-sqlite: one replica on SQLite."""
    directory = os.path.join("overlays", "single-sqlite")

    def test_every_kind_is_there(self):
        kinds = {kind for kind, _ in self.objects}
        self.assertEqual(kinds, {"Deployment", "Service", "ConfigMap",
                                 "PodDisruptionBudget", "NetworkPolicy",
                                 "PersistentVolumeClaim"})

    def test_one_replica_owns_the_volume(self):
        spec = self.deployment()["spec"]
        self.assertEqual(spec["replicas"], 1)
        self.assertEqual(spec["strategy"], {"type": "Recreate"})
        pvc = self.one("PersistentVolumeClaim")["spec"]
        self.assertEqual(pvc["accessModes"], ["ReadWriteOnce"])
        data = [v for v in self.pod()["spec"]["volumes"]
                if v["name"] == "data"][0]
        self.assertEqual(set(data), {"name", "persistentVolumeClaim"})
        self.assertEqual(self.one("PodDisruptionBudget")["spec"],
                         {"maxUnavailable": 1,
                          "selector": self.one("PodDisruptionBudget")[
                              "spec"]["selector"]})

    def test_breached_passwords_stay_in_the_data_dir(self):
        self.assertNotIn("breached_password_path", self.config_text())
        self.assertNotIn("breached-passwords",
                         [v["name"] for v in self.pod()["spec"]["volumes"]])

    def test_nothing_points_at_postgresql_or_redis(self):
        self.assertEqual(self.container()["args"],
                         ["--config", "/etc/lureguard/config.textproto"])
        self.assertFalse(self.container().get("env"))
        self.assertNotRegex(self.config_text(), r"(^|\s)url:")
        self.assertNotIn("redis://", self.config_text())

    def test_config_is_valid(self):
        result = check_config(self.config_text())
        self.assertEqual(result.returncode, 0, result.stderr)

    def test_probe_command_passes_against_the_configured_server(self):
        self.run_with_config([])


if __name__ == "__main__":
    SOURCE_DIR, BINARY_DIR = sys.argv[1], sys.argv[2]
    unittest.main(argv=sys.argv[:1], verbosity=2)
