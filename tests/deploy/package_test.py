#!/usr/bin/env python3
"""The Debian package, built by CPack from the Release build tree.

Builds the .deb into a temporary directory, reads its metadata and contents
with dpkg-deb, unpacks it into a scratch root with dpkg -x, runs the
unpacked orderd with the unpacked configuration (the data directory and
port moved into the scratch root) until /health/ready answers 200, and runs
lintian, which must report no warning or error. Skipped (77) when dpkg-deb,
cpack or lintian is missing.

    package_test.py --build-dir build/release --version 0.2.0
"""
import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from orderd_process import LISTENING, read_first_line, wait_until_ready  # noqa: E402

BUILD_DIR = None
VERSION = None
PACKAGE = None  # the .deb, built once for every test
WORK = None


def run(*args, **kwargs):
    return subprocess.run(list(args), capture_output=True, text=True, timeout=600, **kwargs)


def build_package():
    result = run("cpack", "-G", "DEB", "-B", WORK, "--config",
                 os.path.join(BUILD_DIR, "CPackConfig.cmake"))
    if result.returncode != 0:
        raise AssertionError("cpack failed:\n" + result.stdout + result.stderr)
    debs = [f for f in os.listdir(WORK) if f.endswith(".deb")]
    if len(debs) != 1:
        raise AssertionError(f"cpack made {debs}")
    return os.path.join(WORK, debs[0])


def environment_file(path):
    """KEY=value lines of an EnvironmentFile=, comments and blanks left out."""
    values = {}
    with open(path) as f:
        for line in f:
            line = line.strip()
            if line and not line.startswith("#"):
                key, value = line.split("=", 1)
                values[key] = value
    return values


class DebianPackage(unittest.TestCase):
    def test_metadata_names_the_version_dependencies_and_maintainer_scripts(self):
        info = run("dpkg-deb", "-I", PACKAGE).stdout
        self.assertRegex(info, r"(?m)^ Package: orderd$")
        self.assertRegex(info, r"(?m)^ Version: " + re.escape(VERSION) + "$")
        self.assertRegex(info, r"(?m)^ Architecture: \w+$")
        self.assertRegex(info, r"(?m)^ Section: net$")
        self.assertRegex(info, r"(?m)^ Maintainer: .+ <.+@.+>$")
        depends = re.search(r"(?m)^ Depends: (.*)$", info).group(1)
        for library in ("adduser", "libc6", "libstdc++6", "libssl3", "libjwt", "libsodium23",
                        "libsystemd0"):
            self.assertIn(library, depends)
        for script in ("postinst", "prerm", "postrm", "conffiles", "md5sums"):
            self.assertRegex(info, r"\b" + script + r"\b")

    def test_contents_put_each_file_in_its_debian_place(self):
        listing = run("dpkg-deb", "-c", PACKAGE).stdout
        paths = {line.split()[-1].lstrip(".") for line in listing.splitlines()}
        for path in ("/usr/bin/orderd", "/usr/bin/orderload", "/etc/orderd/orderd.conf",
                     "/lib/systemd/system/orderd.service",
                     "/usr/share/man/man1/orderd.1.gz", "/usr/share/man/man1/orderload.1.gz",
                     "/usr/share/orderd/grafana/orderd-dashboard.json",
                     "/usr/share/orderd/prometheus/prometheus.yml",
                     "/usr/share/orderd/prometheus/alerts.yml",
                     "/usr/share/doc/orderd/copyright", "/usr/share/doc/orderd/changelog.gz"):
            self.assertIn(path, paths)
        control = os.path.join(WORK, "control")
        run("dpkg-deb", "-e", PACKAGE, control)
        with open(os.path.join(control, "conffiles")) as f:
            self.assertEqual(f.read().split(), ["/etc/orderd/orderd.conf"])

    def test_unpacked_orderd_serves_with_the_installed_configuration(self):
        root = os.path.join(WORK, "root")
        result = run("dpkg", "-x", PACKAGE, root)
        self.assertEqual(result.returncode, 0, result.stderr)
        orderd = os.path.join(root, "usr", "bin", "orderd")
        self.assertEqual(run(orderd, "--version").stdout, "orderd " + VERSION + "\n")
        env = {key: value for key, value in os.environ.items() if not key.startswith("ORDERD_")}
        env.update(environment_file(os.path.join(root, "etc", "orderd", "orderd.conf")))
        self.assertEqual(env["ORDERD_DATA_DIR"], "/var/lib/orderd")
        self.assertEqual(env["ORDERD_BIND"], "127.0.0.1")
        env["ORDERD_DATA_DIR"] = os.path.join(root, "var", "lib", "orderd")
        env["ORDERD_PORT"] = "0"
        proc = subprocess.Popen([orderd], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                env=env)
        try:
            match = LISTENING.match(read_first_line(proc, 60))
            self.assertIsNotNone(match)
            self.assertTrue(wait_until_ready(int(match.group(2)), 60))
        finally:
            proc.terminate()
            self.assertEqual(proc.wait(60), 0)
        self.assertTrue(os.listdir(env["ORDERD_DATA_DIR"]), "nothing written to the data dir")

    def test_man_pages_list_the_flags(self):
        root = os.path.join(WORK, "man-root")
        run("dpkg", "-x", PACKAGE, root)
        page = run("zcat", os.path.join(root, "usr/share/man/man1/orderd.1.gz")).stdout
        self.assertIn("ORDERD_DATA_DIR", page)
        self.assertIn(VERSION, page)

    def test_lintian_reports_no_warning_or_error(self):
        result = run("lintian", "--fail-on", "error,warning", PACKAGE)
        print(result.stdout)
        self.assertEqual(result.returncode, 0, result.stdout + result.stderr)


def main():
    global BUILD_DIR, VERSION, PACKAGE, WORK
    parser = argparse.ArgumentParser()
    parser.add_argument("--build-dir", required=True)
    parser.add_argument("--version", required=True)
    args, rest = parser.parse_known_args()
    BUILD_DIR, VERSION = args.build_dir, args.version
    for tool in ("cpack", "dpkg-deb", "lintian"):
        if shutil.which(tool) is None:
            print(f"{tool} is not installed: skipped")
            sys.exit(77)
    WORK = tempfile.mkdtemp(prefix="orderd-package-test-")
    try:
        PACKAGE = build_package()
        program = unittest.main(argv=[sys.argv[0]] + rest, verbosity=2, exit=False)
    finally:
        shutil.rmtree(WORK, ignore_errors=True)
    sys.exit(0 if program.result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
