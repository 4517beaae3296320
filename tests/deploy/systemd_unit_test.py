#!/usr/bin/env python3
"""deploy/systemd/orderd.service against systemd's own checker.

`systemd-analyze verify` must accept the unit (with ExecStart pointed at the
orderd under test, since /usr/bin/orderd exists only once the package is
installed), and `systemd-analyze security --offline` must rate its
sandboxing at an exposure of at most MAX_EXPOSURE ("OK" starts below 5 on
systemd's scale of 0 to 10). Skipped (77) without systemd-analyze.

    systemd_unit_test.py --orderd path/to/orderd --unit deploy/systemd/orderd.service
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

UNIT = None
ORDERD = None
MAX_EXPOSURE = 1.5


def settings(text):
    """The unit's Key=value lines as a dict of lists, comments left out."""
    found = {}
    for line in text.splitlines():
        if "=" in line and not line.lstrip().startswith("#"):
            key, value = line.split("=", 1)
            found.setdefault(key.strip(), []).append(value.strip())
    return found


class SystemdUnit(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.mkdtemp(prefix="orderd-unit-test-")
        with open(UNIT) as f:
            self.text = f.read()
        self.path = os.path.join(self.directory, "orderd.service")
        with open(self.path, "w") as f:
            f.write(self.text.replace("ExecStart=/usr/bin/orderd", "ExecStart=" + ORDERD))

    def tearDown(self):
        shutil.rmtree(self.directory, ignore_errors=True)

    def test_systemd_analyze_verify_accepts_the_unit(self):
        result = subprocess.run(["systemd-analyze", "verify", "--man=no", self.path],
                                capture_output=True, text=True, timeout=60)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)
        self.assertEqual(result.stderr.strip(), "")

    def test_sandboxing_keeps_the_exposure_low(self):
        result = subprocess.run(["systemd-analyze", "security", "--offline=true", self.path],
                                capture_output=True, text=True, timeout=60)
        match = re.search(r"Overall exposure level for orderd.service: (\d+\.\d+)",
                          result.stdout)
        self.assertIsNotNone(match, result.stdout + result.stderr)
        print(f"  exposure level {match.group(1)}")
        self.assertLessEqual(float(match.group(1)), MAX_EXPOSURE, result.stdout)

    def test_unit_waits_for_readiness_and_runs_unprivileged(self):
        found = settings(self.text)
        self.assertEqual(found["Type"], ["notify"])
        self.assertEqual(found["User"], ["orderd"])
        self.assertEqual(found["Restart"], ["on-failure"])
        self.assertEqual(found["EnvironmentFile"], ["/etc/orderd/orderd.conf"])
        self.assertEqual(found["ReadWritePaths"], ["/var/lib/orderd"])
        for key in ("NoNewPrivileges", "PrivateTmp", "ProtectHome", "MemoryDenyWriteExecute"):
            self.assertEqual(found[key], ["yes"], key)
        self.assertEqual(found["ProtectSystem"], ["strict"])
        self.assertIn("@system-service", found["SystemCallFilter"])
        self.assertIn("AF_INET", found["RestrictAddressFamilies"][0].split())


def main():
    global UNIT, ORDERD
    parser = argparse.ArgumentParser()
    parser.add_argument("--orderd", required=True)
    parser.add_argument("--unit", required=True)
    args, rest = parser.parse_known_args()
    UNIT, ORDERD = args.unit, os.path.abspath(args.orderd)
    if shutil.which("systemd-analyze") is None:
        print("systemd-analyze is not installed: skipped")
        sys.exit(77)
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
