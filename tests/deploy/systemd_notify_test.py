#!/usr/bin/env python3
"""orderd's readiness notification (the unit's Type=notify), black box.

The test plays systemd: it binds a datagram socket, starts orderd with
NOTIFY_SOCKET naming it, and reads what orderd sends while it recovers a
data directory of a few hundred thousand orders. READY=1 must come only once
requests are served: whenever it has arrived, /health/ready answers 200.
SIGTERM then brings STOPPING=1 and a clean exit. Standard library only.

    systemd_notify_test.py --orderd path/to/orderd [--scale-divisor N]
"""
import argparse
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from orderd_process import LISTENING, read_first_line, request, wait_until_ready  # noqa: E402

ORDERD = None
SCALE_DIVISOR = 1


class Orderd:
    """orderd on a free port of 127.0.0.1 with `data_dir`; always killed by close()."""

    def __init__(self, data_dir, env):
        self.stderr = tempfile.TemporaryFile()
        self.proc = subprocess.Popen(
            [ORDERD, "--data-dir", data_dir, "--port", "0", "--bind", "127.0.0.1",
             "--fsync", "never"],
            stdout=subprocess.PIPE, stderr=self.stderr, env=env)
        line = read_first_line(self.proc, 60)
        match = LISTENING.match(line)
        if not match:
            self.close()
            raise AssertionError(f"unexpected first line {line!r}: {self.stderr_text()}")
        self.port = int(match.group(2))

    def stderr_text(self):
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")

    def wait_ready(self, timeout=60):
        if not wait_until_ready(self.port, timeout):
            raise AssertionError("orderd did not become ready: " + self.stderr_text())

    def terminate(self, timeout=60):
        """SIGTERM and the exit status."""
        self.proc.send_signal(signal.SIGTERM)
        return self.proc.wait(timeout)

    def close(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(30)
        self.stderr.close()


class FakeServiceManager:
    """The datagram socket systemd would listen on, and what arrived on it."""

    def __init__(self, directory):
        self.path = os.path.join(directory, "notify.sock")
        self.socket = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
        self.socket.bind(self.path)
        self.socket.setblocking(False)
        self.messages = []

    def drain(self):
        """Reads every waiting message; returns the variables of all so far."""
        while True:
            try:
                self.messages.append(self.socket.recv(4096).decode())
            except BlockingIOError:
                break
        return [line for message in self.messages for line in message.split("\n")]

    def close(self):
        self.socket.close()


class ReadinessNotification(unittest.TestCase):
    def setUp(self):
        self.directory = tempfile.mkdtemp(prefix="orderd-notify-test-")
        self.data_dir = os.path.join(self.directory, "data")
        self.manager = FakeServiceManager(self.directory)
        # A data directory that takes a moment to recover.
        env = dict(os.environ)
        env.pop("NOTIFY_SOCKET", None)
        first = Orderd(self.data_dir, env)
        try:
            first.wait_ready()
            entries = 300_000 // SCALE_DIVISOR
            status, body = request(first.port, "POST", "/orders/populate",
                                   json.dumps({"total_entries": entries}))
            self.assertEqual(status, 201, body)
            self.assertEqual(json.loads(body)["success_count"], entries)
            self.assertEqual(first.terminate(), 0, first.stderr_text())
        finally:
            first.close()
        self.assertEqual(self.manager.drain(), [], "a process without NOTIFY_SOCKET sent")

    def tearDown(self):
        self.manager.close()
        shutil.rmtree(self.directory, ignore_errors=True)

    def test_ready_arrives_only_once_requests_are_served_and_stopping_on_sigterm(self):
        env = dict(os.environ, NOTIFY_SOCKET=self.manager.path)
        orderd = Orderd(self.data_dir, env)
        try:
            not_ready_seen = 0
            deadline = time.monotonic() + 60
            while "READY=1" not in self.manager.drain():
                self.assertLess(time.monotonic(), deadline, orderd.stderr_text())
                if request(orderd.port, "GET", "/health/ready")[0] != 200:
                    not_ready_seen += 1
                time.sleep(0.005)
            # Read after READY=1 had arrived: served, and orders answer.
            status, body = request(orderd.port, "GET", "/health/ready")
            self.assertEqual(status, 200, body)
            self.assertEqual(request(orderd.port, "GET", "/orders/metrics")[0], 200)
            variables = self.manager.drain()
            self.assertTrue(variables[0].startswith("STATUS=recovering the data directory"),
                            variables)
            self.assertIn("STATUS=serving on http://127.0.0.1:%d" % orderd.port, variables)
            self.assertNotIn("STOPPING=1", variables)

            self.assertEqual(orderd.terminate(), 0, orderd.stderr_text())
            variables = self.manager.drain()
            self.assertEqual(variables[-2:], ["STOPPING=1", "STATUS=stopping"])
            print(f"  /health/ready answered 503 {not_ready_seen} times before READY=1")
        finally:
            orderd.close()


def main():
    global ORDERD, SCALE_DIVISOR
    parser = argparse.ArgumentParser()
    parser.add_argument("--orderd", required=True)
    parser.add_argument("--scale-divisor", type=int, default=1)
    args, rest = parser.parse_known_args()
    ORDERD, SCALE_DIVISOR = args.orderd, args.scale_divisor
    unittest.main(argv=[sys.argv[0]] + rest, verbosity=2)


if __name__ == "__main__":
    main()
