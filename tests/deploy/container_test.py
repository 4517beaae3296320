#!/usr/bin/env python3
"""The container files (Dockerfile, deploy/compose.yaml) where no container
engine runs: what can be checked without building the image.

- The compose file parses, and every file it mounts or takes a secret from
  is in the repository (the secret is made by the user, so only its folder
  is named in .dockerignore).
- The image runs as orderd with /var/lib/orderd as a volume and a health
  check on /health/ready.
- orderd started with the image's environment alone refuses to start (it
  would listen on every address with authentication off); with the compose
  file's environment added (and a port of 0) it starts, answers
  /health/ready, asks for tokens and leaves /metrics open to Prometheus.
  Requests go to 127.0.0.1 only.

Skipped (77) without PyYAML.

    container_test.py --orderd path/to/orderd --source-dir .
"""
import argparse
import os
import re
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from orderd_process import LISTENING, read_first_line, request, wait_until_ready  # noqa: E402

ORDERD = None
SOURCE = None


def dockerfile_environment(text):
    """The ENV of the Dockerfile's last stage as a dict."""
    last_stage = text[text.rindex("\nFROM "):]
    match = re.search(r"\nENV ((?:.*\\\n)*.*)", last_stage)
    pairs = match.group(1).replace("\\\n", " ").split()
    return dict(pair.split("=", 1) for pair in pairs)


class ContainerFiles(unittest.TestCase):
    def setUp(self):
        with open(os.path.join(SOURCE, "Dockerfile")) as f:
            self.dockerfile = f.read()
        with open(os.path.join(SOURCE, "deploy", "compose.yaml")) as f:
            self.compose = yaml.safe_load(f)

    def test_image_runs_unprivileged_with_a_volume_and_a_health_check(self):
        self.assertIn("\nUSER orderd\n", self.dockerfile)
        self.assertIn("\nVOLUME /var/lib/orderd\n", self.dockerfile)
        self.assertRegex(self.dockerfile, r"HEALTHCHECK .*\n\s+CMD curl -fsS "
                                          r"http://127\.0\.0\.1:5000/health/ready")
        self.assertIn("RUN ./dev package", self.dockerfile)
        self.assertEqual(dockerfile_environment(self.dockerfile)["ORDERD_DATA_DIR"],
                         "/var/lib/orderd")

    def test_compose_mounts_only_files_that_exist(self):
        deploy = os.path.join(SOURCE, "deploy")
        for name, service in self.compose["services"].items():
            for volume in service.get("volumes", []):
                source = volume.split(":")[0]
                if source.startswith("."):
                    self.assertTrue(os.path.exists(os.path.join(deploy, source)),
                                    f"{name} mounts {source}")
            for port in service.get("ports", []):
                self.assertTrue(port.startswith("127.0.0.1:"), f"{name} publishes {port}")
        self.assertEqual(self.compose["services"]["orderd"]["build"]["context"], "..")
        secret = self.compose["secrets"]["jwt-secret"]["file"]
        with open(os.path.join(SOURCE, ".dockerignore")) as f:
            self.assertIn("deploy/secrets/", f.read().split())
        self.assertTrue(secret.startswith("./secrets/"))

    def test_image_alone_refuses_to_listen_everywhere_without_authentication(self):
        env = dockerfile_environment(self.dockerfile)
        result = subprocess.run([ORDERD, "--data-dir", tempfile.mkdtemp()],
                                env={**{k: v for k, v in os.environ.items()
                                        if not k.startswith("ORDERD_")}, **env},
                                capture_output=True, text=True, timeout=60)
        self.assertNotEqual(result.returncode, 0)
        self.assertIn("--allow-unauthenticated", result.stderr)
        self.assertEqual(result.stdout, "")  # never got to listening

    def test_compose_environment_starts_orderd_with_authentication(self):
        with tempfile.NamedTemporaryFile("w", suffix=".secret") as secret:
            secret.write(os.urandom(32).hex())
            secret.flush()
            env = {k: v for k, v in os.environ.items() if not k.startswith("ORDERD_")}
            env.update(dockerfile_environment(self.dockerfile))
            env.update(self.compose["services"]["orderd"]["environment"])
            env.update(ORDERD_JWT_SECRET_FILE=secret.name, ORDERD_PORT="0",
                       ORDERD_DATA_DIR=tempfile.mkdtemp(prefix="orderd-container-test-"))
            proc = subprocess.Popen([ORDERD], env=env, stdout=subprocess.PIPE,
                                    stderr=subprocess.PIPE)
            try:
                line = read_first_line(proc, 60)
                match = LISTENING.match(line)
                self.assertIsNotNone(match, line)
                self.assertEqual(match.group(1), "0.0.0.0")
                port = int(match.group(2))
                self.assertTrue(wait_until_ready(port, 60))
                self.assertEqual(request(port, "GET", "/orders/metrics")[0], 401)  # tokens needed
                self.assertEqual(request(port, "GET", "/metrics")[0], 200)  # ORDERD_METRICS_OPEN
            finally:
                proc.terminate()
                proc.wait(60)
                proc.stdout.close()
                proc.stderr.close()


def main():
    global ORDERD, SOURCE, yaml
    parser = argparse.ArgumentParser()
    parser.add_argument("--orderd", required=True)
    parser.add_argument("--source-dir", required=True)
    args, rest = parser.parse_known_args()
    ORDERD, SOURCE = args.orderd, args.source_dir
    try:
        import yaml  # noqa: F401
    except ImportError:
        print("PyYAML is not installed: skipped")
        sys.exit(77)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
