#!/usr/bin/env python3
"""Many idle and slow clients against the real orderd, black box.

- A flood of idle keep-alive connections (each has had one answer and sends
  nothing more) and of slow-loris clients (each sends a request's headers a
  byte at a time) must not stop a normal client: orderload's creates, at a
  fixed rate, are all answered 201, with a p99 within 2x (floor 2 ms) of the
  same runs without the flood (medians of three alternating rounds). The slow clients are cut off at the read timeout; the
  idle ones are still served.
- Running out of file descriptors (orderd started with a limit of 128) is
  survived: connections past it wait in the listen backlog, and once clients
  leave orderd serves again.

    connection_flood_test.py --orderd BIN --orderload BIN [--idle N] [--slow N]

The suite runs the short form (2,000 idle, 200 slow); --idle 20000 --slow 1000
is the long one (docs/reliability.md), which needs a descriptor limit above
20,000 for both processes (raised here when running as root).
"""
import argparse
import json
import os
import resource
import selectors
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
import orderd_process  # noqa: E402

ORDERD = None
ORDERLOAD = None
IDLE = 2000
SLOW = 200
READ_TIMEOUT_S = 4
RATE = 1000  # creates per second, far below the maximum
ROUNDS = 3


def raise_descriptor_limit(needed):
    """Raises this process's descriptor limit to `needed`; False if not allowed."""
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    if soft >= needed:
        return True
    try:
        resource.setrlimit(resource.RLIMIT_NOFILE, (needed, max(hard, needed)))
        return True
    except (ValueError, OSError):
        return False


class Server:
    """orderd on a free port with `flags`, its descriptor limit set by `limit`."""

    def __init__(self, flags, limit=None):
        self.data_dir = tempfile.mkdtemp(prefix="orderd-flood-")

        def set_limit():
            if limit is not None:
                resource.setrlimit(resource.RLIMIT_NOFILE, (limit, limit))

        self.proc = subprocess.Popen(
            [ORDERD, "--data-dir", self.data_dir, "--port", "0", *flags],
            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, preexec_fn=set_limit)
        line = orderd_process.read_first_line(self.proc, 30)
        match = orderd_process.LISTENING.match(line)
        if not match:
            self.stop()
            raise AssertionError(f"unexpected first line {line!r}")
        self.port = int(match.group(2))
        if not orderd_process.wait_until_ready(self.port, 30):
            self.stop()
            raise AssertionError("orderd never became ready")

    def rss_mib(self):
        with open(f"/proc/{self.proc.pid}/status") as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
        return 0.0

    def stop(self):
        if self.proc.poll() is None:
            self.proc.kill()
        self.proc.wait(timeout=30)
        subprocess.run(["rm", "-rf", self.data_dir], check=False)


def create_p99_ms(port, tag):
    """p99 (ms) of orderload's creates at RATE for 3 s; asserts all were 201."""
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        subprocess.run([ORDERLOAD, "--url", f"http://127.0.0.1:{port}", "--rate", str(RATE),
                        "-c", "16", "-t", "1", "--duration", "3s", "--warmup", "500ms",
                        "--run-id", tag, "--json", out.name, "--no-progress"],
                       check=True, capture_output=True, timeout=60)
        result = json.load(open(out.name))
    assert result["errors"]["total"] == 0, result["errors"]
    assert set(result["status_codes"]) == {"201"}, result["status_codes"]
    return result["latency_us"]["p99"] / 1000.0


def open_idle(port, count):
    """`count` connections that each had one answer and now send nothing."""
    selector = selectors.DefaultSelector()
    sockets = []
    for _ in range(count):
        s = socket.create_connection(("127.0.0.1", port), timeout=10)
        s.sendall(b"GET /health HTTP/1.1\r\nHost: flood\r\n\r\n")
        s.setblocking(False)
        selector.register(s, selectors.EVENT_READ)
        sockets.append(s)
    waiting = set(sockets)
    deadline = time.monotonic() + 60
    while waiting and time.monotonic() < deadline:
        for key, _ in selector.select(timeout=1):
            data = key.fileobj.recv(65536)
            assert data.startswith(b"HTTP/1.1 200"), data[:100]
            selector.unregister(key.fileobj)
            waiting.discard(key.fileobj)
    assert not waiting, f"{len(waiting)} idle connections never got their first answer"
    return sockets


class SlowLoris(threading.Thread):
    """Clients that send a request's headers one byte every 200 ms."""

    def __init__(self, port, count):
        super().__init__(daemon=True)
        self.sockets = [socket.create_connection(("127.0.0.1", port), timeout=10)
                        for _ in range(count)]
        for s in self.sockets:
            s.sendall(b"POST /orders/ HTTP/1.1\r\nHost: flood\r\n")
            s.setblocking(False)
        self.stopping = threading.Event()
        self.closed_by_server = 0

    def run(self):
        while not self.stopping.wait(0.2) and self.sockets:
            alive = []
            for s in self.sockets:
                try:
                    s.send(b"X")
                    alive.append(s)
                except OSError:  # cut off by the server
                    self.closed_by_server += 1
                    s.close()
            self.sockets = alive


def close_all(sockets):
    for s in sockets:
        s.close()


class ConnectionFloodTest(unittest.TestCase):
    def test_idle_and_slow_clients_do_not_stop_a_normal_client(self):
        needed = IDLE + SLOW + 500
        if not raise_descriptor_limit(needed):
            self.skipTest(f"cannot raise the descriptor limit to {needed}")
        # --fsync never: the figure compared is the server's answer to a
        # flood of clients, not the disk's fsync latency, which varies more.
        server = Server(["--max-connections", str(needed), "--read-timeout", f"{READ_TIMEOUT_S}s",
                         "--idle-timeout", "120s", "--fsync", "never"], limit=needed)
        idle, slow = [], None
        try:
            # Alternating rounds, medians: this machine's p99 moves by
            # milliseconds from one run to the next on its own.
            quiet_runs, flood_runs = [], []
            for round_ in range(ROUNDS):
                quiet_runs.append(create_p99_ms(server.port, f"q{round_}"))
                idle = open_idle(server.port, IDLE)
                slow = SlowLoris(server.port, SLOW)
                slow.start()
                flood_runs.append(create_p99_ms(server.port, f"f{round_}"))
                if round_ + 1 < ROUNDS:
                    slow.stopping.set()
                    slow.join(timeout=10)
                    close_all(slow.sockets)
                    close_all(idle)
            quiet = sorted(quiet_runs)[ROUNDS // 2]
            flooded = sorted(flood_runs)[ROUNDS // 2]
            print(f"create p99 at {RATE}/s, median of {ROUNDS}: {quiet:.2f} ms quiet "
                  f"{quiet_runs}, {flooded:.2f} ms with {IDLE} idle and {SLOW} slow clients "
                  f"{flood_runs}; orderd RSS {server.rss_mib():.0f} MiB", file=sys.stderr)
            # A floor of 2 ms keeps this machine's scheduling noise on a
            # sub-millisecond quiet figure from looking like a regression.
            self.assertLessEqual(flooded, 2 * max(quiet, 2.0))
            # Every slow client is cut off at the read timeout (the run
            # above took longer than it).
            deadline = time.monotonic() + READ_TIMEOUT_S + 10
            while slow.sockets and time.monotonic() < deadline:
                time.sleep(0.2)
            self.assertEqual(slow.closed_by_server, SLOW)
            # The idle connections are still served.
            for s in idle[:20]:
                s.setblocking(True)
                s.settimeout(10)
                s.sendall(b"GET /health HTTP/1.1\r\nHost: flood\r\n\r\n")
                self.assertTrue(s.recv(65536).startswith(b"HTTP/1.1 200"))
        finally:
            if slow is not None:
                slow.stopping.set()
                slow.join(timeout=10)
                close_all(slow.sockets)
            close_all(idle)
            server.stop()

    def test_running_out_of_descriptors_is_survived(self):
        server = Server(["--max-connections", "10000"], limit=128)
        clients = []
        try:
            # More than the limit: the extra ones wait in the listen backlog.
            for _ in range(300):
                clients.append(socket.create_connection(("127.0.0.1", server.port), timeout=10))
            time.sleep(1)
            self.assertIsNone(server.proc.poll(), "orderd died out of descriptors")
            close_all(clients)
            clients = []
            deadline = time.monotonic() + 30
            status = None
            while time.monotonic() < deadline:
                try:
                    status = orderd_process.request(server.port, "GET", "/health", timeout=5)[0]
                    if status == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.2)
            self.assertEqual(status, 200)
            self.assertEqual(orderd_process.request(
                server.port, "POST", "/orders/",
                '{"user_id": 1, "order_id": "after-emfile", "item_ids": [1], '
                '"total_amount": 0}')[0], 201)
        finally:
            close_all(clients)
            server.stop()


def main():
    global ORDERD, ORDERLOAD, IDLE, SLOW
    parser = argparse.ArgumentParser()
    parser.add_argument("--orderd", required=True)
    parser.add_argument("--orderload", required=True)
    parser.add_argument("--idle", type=int, default=IDLE)
    parser.add_argument("--slow", type=int, default=SLOW)
    args, rest = parser.parse_known_args()
    ORDERD, ORDERLOAD, IDLE, SLOW = args.orderd, args.orderload, args.idle, args.slow
    unittest.main(argv=[sys.argv[0], *rest], verbosity=2)


if __name__ == "__main__":
    main()
