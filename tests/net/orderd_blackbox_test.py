#!/usr/bin/env python3
"""Black-box tests of the orderd binary.

Each test group starts the real server on a free port (--port 0), reads the
address from its one line of output, talks HTTP to 127.0.0.1 and always kills
the process at the end. Standard library only (plus curl for the seed
examples).

    orderd_blackbox_test.py --orderd path/to/orderd [--scale-divisor N] GROUP
"""
import argparse
import http.client
import json
import os
import re
import select
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "python"))
from orderd_process import LISTENING, read_first_line  # noqa: E402

ORDERD = None
SCALE = 1


class Orderd:
    """One orderd process; a context manager that always kills it."""

    def __init__(self, *flags, env=None, start_timeout=30, data_dir=None):
        # A data directory given is the caller's to remove; a fresh one is ours.
        self.own_data_dir = data_dir is None
        self.data_dir = data_dir or tempfile.mkdtemp(prefix="orderd-test-")
        self.stderr = tempfile.TemporaryFile()
        full_env = dict(os.environ)
        full_env.update(env or {})
        args = [ORDERD, "--data-dir", self.data_dir]
        if not any(f == "--port" for f in flags) and "ORDERD_PORT" not in (env or {}):
            args += ["--port", "0"]
        self.proc = subprocess.Popen(args + list(flags), stdout=subprocess.PIPE,
                                     stderr=self.stderr, env=full_env)
        line = read_first_line(self.proc, start_timeout)
        match = LISTENING.match(line)
        if not match:
            self.kill()
            raise AssertionError(f"unexpected first line {line!r}; stderr: {self.stderr_text()}")
        self.host, self.port = match.group(1), int(match.group(2))
        self.address = f"{self.host}:{self.port}"
        # The server listens before it has recovered its data directory.
        self.wait_ready(start_timeout)

    def wait_ready(self, timeout):
        deadline = time.monotonic() + timeout
        while True:
            code = self.request("GET", "/health/ready")[0]
            if code == 200:
                return
            if time.monotonic() > deadline:
                self.kill()
                raise AssertionError(f"not ready after {timeout}s; stderr: {self.stderr_text()}")
            time.sleep(0.01)


    def stderr_text(self):
        self.stderr.seek(0)
        return self.stderr.read().decode(errors="replace")

    def request(self, method, path, body=None, headers=None, timeout=60):
        """One request on a fresh connection: (status, headers dict, parsed JSON or text)."""
        conn = http.client.HTTPConnection(self.host, self.port, timeout=timeout)
        try:
            if isinstance(body, (dict, list)):
                body = json.dumps(body)
            hdrs = {"Content-Type": "application/json"} if body is not None else {}
            hdrs.update(headers or {})
            conn.request(method, path, body=body, headers=hdrs)
            resp = conn.getresponse()
            raw = resp.read()
            return resp.status, {k.lower(): v for k, v in resp.getheaders()}, decode(raw)
        finally:
            conn.close()

    def create(self, order_id, items=(101, 102, 103), total=59.99, user=1):
        return self.request("POST", "/orders/", {"user_id": user, "order_id": order_id,
                                                 "item_ids": list(items), "total_amount": total})

    def wait_status(self, order_id, status, timeout=30):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            code, _, body = self.request("GET", f"/orders/{order_id}")
            if code == 200 and body["status"] == status:
                return body
            time.sleep(0.02)
        raise AssertionError(f"order {order_id} never reached {status}")

    def signal(self, sig):
        self.proc.send_signal(sig)

    def wait(self, timeout=60):
        return self.proc.wait(timeout=timeout)

    def kill(self):
        if self.proc.poll() is None:
            self.proc.kill()
            self.proc.wait(timeout=30)
        if self.own_data_dir:
            shutil.rmtree(self.data_dir, ignore_errors=True)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.kill()


def decode(raw):
    try:
        return json.loads(raw)
    except ValueError:
        return raw.decode(errors="replace")


def raw_exchange(port, data, expect, timeout=30):
    """Sends bytes on one socket and reads until `expect` complete responses arrived."""
    sock = socket.create_connection(("127.0.0.1", port), timeout=timeout)
    try:
        sock.sendall(data)
        return read_responses(sock, expect)
    finally:
        sock.close()


def read_responses(sock, count):
    """Reads `count` responses with Content-Length bodies: [(status, headers, body)]."""
    buf = b""
    out = []
    while len(out) < count:
        while b"\r\n\r\n" not in buf:
            chunk = sock.recv(65536)
            if not chunk:
                return out
            buf += chunk
        head, buf = buf.split(b"\r\n\r\n", 1)
        lines = head.decode().split("\r\n")
        status = int(lines[0].split()[1])
        headers = {}
        for line in lines[1:]:
            name, _, value = line.partition(":")
            headers[name.strip().lower()] = value.strip()
        length = int(headers.get("content-length", "0"))
        while len(buf) < length:
            chunk = sock.recv(65536)
            if not chunk:
                return out
            buf += chunk
        out.append((status, headers, decode(buf[:length])))
        buf = buf[length:]
    return out


def post_bytes(path, body, extra=""):
    body = body.encode() if isinstance(body, str) else body
    return (f"POST {path} HTTP/1.1\r\nHost: t\r\nContent-Type: application/json\r\n{extra}"
            f"Content-Length: {len(body)}\r\n\r\n").encode() + body


def order_body(order_id):
    return json.dumps({"user_id": 7, "order_id": order_id, "item_ids": [1, 2],
                       "total_amount": 3.98})


class ApiTest(unittest.TestCase):
    """Every endpoint and every error status."""

    @classmethod
    def setUpClass(cls):
        cls.server = Orderd("--threads", "2", "--workers", "1")

    @classmethod
    def tearDownClass(cls):
        cls.server.kill()

    def test_create_and_get(self):
        s = self.server
        code, headers, body = s.create("API-1", total=12.5)
        self.assertEqual(code, 201)
        self.assertEqual(body, {"message": "Order created", "order_id": "API-1"})
        self.assertEqual(headers["content-type"], "application/json")
        self.assertEqual(headers["server"], "orderd")
        self.assertTrue(headers["date"].endswith("GMT"))
        order = s.wait_status("API-1", "Completed")
        self.assertEqual(order["item_ids"], "101,102,103")
        self.assertEqual(order["total_amount"], 12.5)
        self.assertEqual(order["user_id"], 1)
        for key in ("created_at", "processing_started_at", "completed_at"):
            self.assertRegex(order[key], r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z$")
        for key in ("pending_duration", "processing_duration", "total_duration"):
            self.assertGreaterEqual(order[key], 0)
        # The version is in the ETag only: seed 004's body has no field for it.
        code, headers, _ = s.request("GET", "/orders/API-1")
        self.assertEqual((code, headers.get("etag")), (200, '"3"'))
        self.assertNotIn("version", order)
        code, _, _ = s.request("POST", "/orders", order_body("API-2"))
        self.assertEqual(code, 201)

    def test_unknown_order_is_404(self):
        code, _, body = self.server.request("GET", "/orders/NOPE")
        self.assertEqual((code, body), (404, {"error": "Order not found"}))

    def test_validation_errors_are_400(self):
        bad = [
            "{", "[]", "", '{"user_id": 1}',
            {"user_id": -1, "order_id": "V", "item_ids": [1], "total_amount": 1},
            {"user_id": "1", "order_id": "V", "item_ids": [1], "total_amount": 1},
            {"user_id": 1, "order_id": "", "item_ids": [1], "total_amount": 1},
            {"user_id": 1, "order_id": 5, "item_ids": [1], "total_amount": 1},
            {"user_id": 1, "order_id": "V", "item_ids": [], "total_amount": 1},
            {"user_id": 1, "order_id": "V", "item_ids": ["1"], "total_amount": 1},
            {"user_id": 1, "order_id": "V", "item_ids": [1.5], "total_amount": 1},
            {"user_id": 1, "order_id": "V", "item_ids": [1], "total_amount": -1},
            {"user_id": 1, "order_id": "V", "item_ids": [1], "total_amount": "1"},
            {"user_id": 1, "order_id": "V", "item_ids": [1], "total_amount": 1e300},
            {"user_id": 1, "order_id": "V", "item_ids": [1]},
        ]
        for body in bad:
            with self.subTest(body=body):
                code, _, reply = self.server.request("POST", "/orders/", body)
                self.assertEqual(code, 400)
                self.assertIsInstance(reply.get("error"), str)
        code, _, _ = self.server.request("GET", "/orders/V")
        self.assertEqual(code, 404, "a refused order leaves nothing behind")

    def test_duplicate_is_409(self):
        self.assertEqual(self.server.create("DUP-1")[0], 201)
        code, _, body = self.server.create("DUP-1")
        self.assertEqual(code, 409)
        self.assertIn("error", body)

    def test_stock_problems_are_409_with_stock_issues(self):
        code, _, body = self.server.request(
            "POST", "/api/v1/products", {"id": 5001, "name": "Scarce", "price": 2.5, "stock": 2})
        self.assertEqual(code, 201)
        code, _, body = self.server.create("STOCK-1", items=[5001, 5001, 5001])
        self.assertEqual(code, 409)
        self.assertEqual(body["stock_issues"],
                         [{"product_id": 5001, "requested": 3, "available": 2}])
        code, _, body = self.server.create("STOCK-2", items=[1, 999999])
        self.assertEqual(code, 409)
        self.assertEqual(body["stock_issues"][0]["product_id"], 999999)

    def test_metrics(self):
        self.assertEqual(self.server.create("MET-1")[0], 201)
        self.server.wait_status("MET-1", "Completed")
        code, _, body = self.server.request("GET", "/orders/metrics")
        self.assertEqual(code, 200)
        for key in ("total_orders", "average_processing_time",
                    "average_processing_time_from_creation"):
            self.assertIn(key, body)
        for status in ("pending", "processing", "completed"):
            self.assertIn("count", body[status])
            self.assertNotIn("order_ids", body[status])
        code, _, body = self.server.request("GET", "/orders/metrics?getOrderIds=true")
        self.assertEqual(code, 200)
        self.assertIn("MET-1", body["completed"]["order_ids"])
        code, _, body = self.server.request(
            "GET", "/orders/metrics?getOrderIds=true&status=completed&limit=1")
        self.assertEqual(len(body["completed"]["order_ids"]), 1)
        self.assertEqual(self.server.request("GET", "/orders/metrics?getOrderIds=maybe")[0], 400)

    def test_populate(self):
        code, _, body = self.server.request("POST", "/orders/populate",
                                            {"total_entries": 25, "batch_id": "pop-a"})
        self.assertEqual(code, 201)
        self.assertEqual((body["batch_id"], body["total_entries"], body["success_count"],
                          body["failure_count"], body["errors"]), ("pop-a", 25, 25, 0, []))
        self.assertEqual(self.server.request("GET", "/orders/pop-a-25")[0], 200)
        for bad in ({"total_entries": 0}, {"total_entries": -1}, {"total_entries": "4"},
                    {"total_entries": 1000001}, {}):
            with self.subTest(body=bad):
                self.assertEqual(self.server.request("POST", "/orders/populate", bad)[0], 400)

    def test_products(self):
        s = self.server
        code, _, body = s.request("POST", "/api/v1/products",
                                  {"id": 4242, "name": "Widget", "price": 19.99, "stock": 10})
        self.assertEqual(code, 201)
        self.assertEqual((body["id"], body["price"], body["available"]), (4242, 19.99, 10))
        self.assertEqual(s.request("POST", "/api/v1/products",
                                   {"id": 4242, "name": "W", "price": 1, "stock": 1})[0], 409)
        self.assertEqual(s.request("POST", "/api/v1/products", {"id": 4243})[0], 400)
        code, _, body = s.request("GET", "/api/v1/products/4242")
        self.assertEqual((code, body["name"]), (200, "Widget"))
        self.assertEqual(s.request("GET", "/api/v1/products/77777")[0], 404)
        code, _, body = s.request("POST", "/api/v1/products/4242/restock", {"quantity": 5})
        self.assertEqual((code, body["available"], body["restocked"]), (200, 15, 5))
        self.assertEqual(s.request("POST", "/api/v1/products/4242/restock", {"quantity": 0})[0], 400)
        self.assertEqual(s.request("POST", "/api/v1/products/77777/restock",
                                   {"quantity": 1})[0], 404)
        code, _, page = s.request("GET", "/api/v1/products?limit=10")
        self.assertEqual(code, 200)
        self.assertEqual([p["id"] for p in page["products"]], list(range(1, 11)))
        self.assertEqual(page["next_after"], 10)
        code, _, page = s.request("GET", "/api/v1/products?after=1000&limit=10")
        self.assertIn(4242, [p["id"] for p in page["products"]])

    def test_demo_catalog(self):
        code, _, body = self.server.request("GET", "/api/v1/products/101")
        self.assertEqual((code, body["name"], body["price"]), (200, "Demo product 101", 1.99))
        self.assertGreaterEqual(body["available"] + body["held"] + body["consumed"], 10**9)
        self.assertEqual(self.server.request("GET", "/api/v1/products/1000")[0], 200)
        self.assertEqual(self.server.request("GET", "/api/v1/products/1001")[0], 404)

    def test_health(self):
        self.assertEqual(self.server.request("GET", "/health")[:3:2], (200, {"status": "ok"}))
        self.assertEqual(self.server.request("GET", "/health/ready")[:3:2],
                         (200, {"status": "ready"}))

    def test_unknown_route_404_and_wrong_method_405(self):
        code, _, body = self.server.request("GET", "/nope")
        self.assertEqual((code, body), (404, {"error": "Not found"}))
        code, headers, body = self.server.request("DELETE", "/orders/X")
        self.assertEqual((code, headers.get("allow")), (405, "GET, HEAD"))
        self.assertIn("error", body)
        code, headers, _ = self.server.request("GET", "/orders/")
        self.assertEqual((code, headers.get("allow")), (405, "POST"))

    def test_body_and_header_limits(self):
        big = post_bytes("/orders/", b" " * (1 << 20 + 1))
        status, headers, body = raw_exchange(self.server.port, big, 1)[0]
        self.assertEqual(status, 413)
        self.assertIn("error", body)
        huge = b"GET /health HTTP/1.1\r\nX-Big: " + b"a" * 20000 + b"\r\n\r\n"
        self.assertEqual(raw_exchange(self.server.port, huge, 1)[0][0], 431)


class CapacityTest(unittest.TestCase):
    def test_at_capacity_is_503_with_retry_after(self):
        with Orderd("--capacity", "1", "--processing-time", "30s", "--workers", "1") as s:
            self.assertEqual(s.create("CAP-1")[0], 201)
            code, headers, body = s.create("CAP-2")
            self.assertEqual(code, 503)
            self.assertEqual(headers.get("retry-after"), "1")
            self.assertIn("error", body)


class IdempotencyTest(unittest.TestCase):
    """Idempotency-Key on changing requests: one run per key, replays flagged."""

    @classmethod
    def setUpClass(cls):
        cls.server = Orderd("--threads", "2", "--workers", "1")

    @classmethod
    def tearDownClass(cls):
        cls.server.kill()

    def total_orders(self):
        return self.server.request("GET", "/orders/metrics")[2]["total_orders"]

    def post(self, path, body, key=None):
        return self.server.request("POST", path, body,
                                   headers={"Idempotency-Key": key} if key is not None else None)

    def created_responses(self):
        metrics = self.server.request("GET", "/metrics")[2]
        match = re.search(
            r'(?m)^orderd_http_requests_total\{route="POST /orders",code="201"\} (\d+)$', metrics)
        return int(match.group(1)) if match else 0

    def test_a_retry_with_the_same_key_is_replayed_and_creates_one_order(self):
        before = self.total_orders()
        body = order_body("IK-1")
        code, headers, first = self.post("/orders/", body, "retry-1")
        self.assertEqual(code, 201)
        self.assertNotIn("idempotent-replayed", headers)
        created = self.created_responses()
        code, headers, again = self.post("/orders/", body, "retry-1")
        self.assertEqual(code, 201)
        self.assertEqual(again, first)
        self.assertEqual(headers.get("idempotent-replayed"), "true")
        self.server.wait_status("IK-1", "Completed")
        self.assertEqual(self.total_orders(), before + 1)
        # A replay is counted under the route that first answered.
        self.assertEqual(self.created_responses(), created + 1)

    def test_the_same_key_with_another_body_is_422(self):
        self.assertEqual(self.post("/orders/", order_body("IK-2"), "other-1")[0], 201)
        code, headers, body = self.post("/orders/", order_body("IK-3"), "other-1")
        self.assertEqual(code, 422)
        self.assertEqual(body, {"error": "Idempotency-Key was used with a different request"})
        self.assertEqual(self.server.request("GET", "/orders/IK-3")[0], 404)

    def test_without_a_key_nothing_changes(self):
        self.assertEqual(self.post("/orders/", order_body("IK-4"))[0], 201)
        code, headers, body = self.post("/orders/", order_body("IK-4"))
        self.assertEqual(code, 409)
        self.assertNotIn("idempotent-replayed", headers)
        self.assertIn("already exists", body["error"])

    def test_malformed_keys_are_400(self):
        expected = {"error": "Idempotency-Key must be 1-255 printable characters"}
        code, _, body = self.post("/orders/", order_body("IK-5"), "k" * 256)
        self.assertEqual((code, body), (400, expected))
        # Sent raw: http.client checks header values itself.
        for key in (b"a\tb", b"caf\xc3\xa9", b""):
            with self.subTest(key=key):
                request = post_bytes("/orders/", order_body("IK-5")).replace(
                    b"\r\n\r\n", b"\r\nIdempotency-Key: " + key + b"\r\n\r\n", 1)
                status, _, body = raw_exchange(self.server.port, request, 1)[0]
                self.assertEqual((status, body), (400, expected))
        self.assertEqual(self.server.request("GET", "/orders/IK-5")[0], 404)
        self.assertEqual(self.post("/orders/", order_body("IK-5"), "k" * 255)[0], 201)
        # Reads ignore the header altogether.
        code, _, _ = self.server.request("GET", "/orders/IK-5",
                                         headers={"Idempotency-Key": "k" * 300})
        self.assertEqual(code, 200)

    def test_populate_under_a_key_runs_once(self):
        before = self.total_orders()
        batch = {"total_entries": 7, "batch_id": "ik-pop"}
        code, _, first = self.post("/orders/populate", batch, "pop-1")
        self.assertEqual((code, first["success_count"]), (201, 7))
        code, headers, again = self.post("/orders/populate", batch, "pop-1")
        self.assertEqual((code, again), (201, first))
        self.assertEqual(headers.get("idempotent-replayed"), "true")
        self.assertEqual(self.total_orders(), before + 7)

    def test_concurrent_retries_of_one_key_create_one_order(self):
        before = self.total_orders()
        clients = 20
        barrier = threading.Barrier(clients)
        replies = []
        lock = threading.Lock()

        def worker():
            conn = http.client.HTTPConnection(self.server.host, self.server.port, timeout=60)
            conn.connect()
            barrier.wait(timeout=60)
            conn.request("POST", "/orders/", order_body("IK-RACE"),
                         {"Content-Type": "application/json", "Idempotency-Key": "race-1"})
            resp = conn.getresponse()
            body = decode(resp.read())
            conn.close()
            with lock:
                replies.append((resp.status, resp.getheader("Idempotent-Replayed"), body))

        threads = [threading.Thread(target=worker) for _ in range(clients)]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        self.assertEqual(len(replies), clients)
        fresh = [r for r in replies if r[0] == 201 and r[1] is None]
        self.assertEqual(len(fresh), 1, replies)
        for status, replayed, body in replies:
            if status == 201:
                self.assertEqual(body, fresh[0][2])
            else:
                # Arrived while the first was still running.
                self.assertEqual((status, body), (409, {
                    "error": "a request with this Idempotency-Key is in progress"}))
        self.assertEqual(self.total_orders(), before + 1)

    def test_a_stored_reply_is_replayed_after_a_restart(self):
        data_dir = tempfile.mkdtemp(prefix="orderd-test-")
        try:
            body = order_body("IK-R1")
            with Orderd(data_dir=data_dir) as s:
                code, headers, first = s.request("POST", "/orders/", body,
                                                 headers={"Idempotency-Key": "restart-1"})
                self.assertEqual(code, 201)
                self.assertNotIn("idempotent-replayed", headers)
                s.wait_status("IK-R1", "Completed")
                s.signal(signal.SIGTERM)
                self.assertEqual(s.wait(timeout=60), 0, s.stderr_text())
            with Orderd(data_dir=data_dir) as s:
                code, headers, again = s.request("POST", "/orders/", body,
                                                 headers={"Idempotency-Key": "restart-1"})
                self.assertEqual((code, again), (201, first))
                self.assertEqual(headers.get("idempotent-replayed"), "true")
                # Still the same request only, and nothing ran again.
                code, _, _ = s.request("POST", "/orders/", order_body("IK-R2"),
                                       headers={"Idempotency-Key": "restart-1"})
                self.assertEqual(code, 422)
                self.assertEqual(s.request("GET", "/orders/IK-R2")[0], 404)
                self.assertEqual(s.request("GET", "/orders/metrics")[2]["total_orders"], 1)
        finally:
            shutil.rmtree(data_dir, ignore_errors=True)

    def test_a_full_key_store_is_503_with_retry_after(self):
        with Orderd("--idempotency-max-keys", "1") as s:
            self.assertEqual(s.request("POST", "/orders/", order_body("F-1"),
                                       headers={"Idempotency-Key": "f1"})[0], 201)
            code, headers, body = s.request("POST", "/orders/", order_body("F-2"),
                                            headers={"Idempotency-Key": "f2"})
            self.assertEqual((code, headers.get("retry-after")), (503, "1"))
            self.assertIn("error", body)
            self.assertEqual(s.request("POST", "/orders/", order_body("F-2"))[0], 201)


# The seed document's examples, verbatim except for the address.
SEED_CREATE = """curl --location 'http://127.0.0.1:5000/orders/' \\
--header 'Content-Type: application/json' \\
--data '{
  "user_id": 1,
  "order_id": "ORD003",
  "item_ids": [101, 102, 103],
  "total_amount": 59.99
}'"""
SEED_GET = "curl --location 'http://127.0.0.1:5000/orders/ORD003'"
SEED_METRICS = "curl --location 'http://127.0.0.1:5000/orders/metrics?getOrderIds=true'"
SEED_POPULATE = """curl --location 'http://127.0.0.1:5000/orders/populate' \\
--header 'Content-Type: application/json' \\
--data '{
    "total_entries": 4
}'"""


class SeedExamplesTest(unittest.TestCase):
    """The seed 004 curl examples, run with curl against a fresh server."""

    def curl(self, server, command):
        # Only the address changes; the time bound comes from subprocess.
        command = command.replace("127.0.0.1:5000", server.address)
        done = subprocess.run(["bash", "-c", command], capture_output=True, timeout=90)
        self.assertEqual(done.returncode, 0, done.stderr)
        return json.loads(done.stdout)

    def test_seed_examples_verbatim(self):
        with Orderd() as s:
            self.assertEqual(self.curl(s, SEED_CREATE),
                             {"message": "Order created", "order_id": "ORD003"})
            s.wait_status("ORD003", "Completed")
            order = self.curl(s, SEED_GET)
            self.assertEqual(order["order_id"], "ORD003")
            self.assertEqual(order["item_ids"], "101,102,103")
            self.assertEqual(order["total_amount"], 59.99)
            self.assertEqual(order["user_id"], 1)
            self.assertEqual(order["status"], "Completed")
            for key in ("completed_at", "created_at", "pending_duration", "processing_duration",
                        "processing_started_at", "total_duration"):
                self.assertIsNotNone(order[key], key)
            metrics = self.curl(s, SEED_METRICS)
            self.assertEqual(metrics["total_orders"], 1)
            self.assertEqual(metrics["completed"], {"count": 1, "order_ids": ["ORD003"]})
            self.assertEqual(metrics["pending"], {"count": 0, "order_ids": []})
            self.assertEqual(metrics["processing"], {"count": 0, "order_ids": []})
            self.assertGreaterEqual(metrics["average_processing_time"], 0)
            populated = self.curl(s, SEED_POPULATE)
            self.assertEqual(populated["total_entries"], 4)
            self.assertEqual(populated["success_count"], 4)
            self.assertEqual(populated["failure_count"], 0)
            self.assertEqual(populated["errors"], [])
            self.assertRegex(populated["batch_id"], r"^[0-9a-f]{8}$")

    def test_seed_timeline_with_processing_time(self):
        with Orderd("--processing-time", "300ms-600ms") as s:
            self.assertEqual(self.curl(s, SEED_CREATE)["message"], "Order created")
            seen = set()
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                order = self.curl(s, SEED_GET)
                seen.add(order["status"])
                if order["status"] == "Completed":
                    break
                if order["status"] == "Processing":
                    self.assertIsNotNone(order["processing_started_at"])
                    self.assertIsNone(order["completed_at"])
                    self.assertIsNone(order["total_duration"])
                time.sleep(0.02)
            self.assertIn("Processing", seen)
            self.assertEqual(order["status"], "Completed")
            self.assertGreaterEqual(order["processing_duration"], 0.3 - 0.001)
            self.assertLess(order["processing_duration"], 5)
            self.assertAlmostEqual(order["total_duration"],
                                   order["pending_duration"] + order["processing_duration"],
                                   places=5)


class ConnectionTest(unittest.TestCase):
    def test_keep_alive_reuses_one_connection(self):
        with Orderd() as s:
            conn = http.client.HTTPConnection(s.host, s.port, timeout=30)
            conn.connect()
            local = conn.sock.getsockname()
            for i in range(20):
                conn.request("POST", "/orders/", order_body(f"KA-{i}"),
                             {"Content-Type": "application/json"})
                resp = conn.getresponse()
                self.assertEqual(resp.status, 201)
                resp.read()
            self.assertEqual(conn.sock.getsockname(), local)
            conn.close()

    def test_pipelined_requests_are_answered_in_order(self):
        with Orderd() as s:
            batch = (post_bytes("/orders/", order_body("PIPE-1")) +
                     b"GET /orders/PIPE-1 HTTP/1.1\r\nHost: t\r\n\r\n" +
                     b"GET /orders/metrics?getOrderIds=true HTTP/1.1\r\nHost: t\r\n\r\n" +
                     post_bytes("/orders/", order_body("PIPE-1")) +
                     b"GET /nope HTTP/1.1\r\nHost: t\r\n\r\n")
            replies = raw_exchange(s.port, batch, 5)
            self.assertEqual([r[0] for r in replies], [201, 200, 200, 409, 404])
            self.assertEqual(replies[1][2]["order_id"], "PIPE-1")

    def test_slow_client_is_cut_off(self):
        with Orderd("--read-timeout", "500ms") as s:
            sock = socket.create_connection(("127.0.0.1", s.port), timeout=10)
            sock.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\nX-Slow: ")
            start = time.monotonic()
            closed = False
            data = b""
            while time.monotonic() - start < 10 and not closed:
                try:
                    sock.sendall(b"a")
                except OSError:
                    break
                readable = select.select([sock], [], [], 0.1)[0]
                if readable:
                    try:
                        chunk = sock.recv(4096)
                    except OSError:
                        chunk = b""
                    data += chunk
                    closed = not chunk
            elapsed = time.monotonic() - start
            sock.close()
            self.assertLess(elapsed, 5, "the slow client was not cut off")
            self.assertIn(b" 408 ", data)
            self.assertEqual(s.request("GET", "/health")[0], 200, "server still serves")

    def test_max_connections(self):
        with Orderd("--max-connections", "2") as s:
            # The readiness check's connection is closed, but the server may
            # count it for a moment more: until then a connection can be refused.
            def admitted():
                deadline = time.monotonic() + 5
                while True:
                    sock = socket.create_connection(("127.0.0.1", s.port), timeout=10)
                    sock.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
                    status = read_responses(sock, 1)[0][0]
                    if status == 200 or time.monotonic() > deadline:
                        self.assertEqual(status, 200)
                        return sock
                    sock.close()
                    time.sleep(0.02)
            a = admitted()
            b = admitted()
            c = socket.create_connection(("127.0.0.1", s.port), timeout=10)
            status, headers, _ = read_responses(c, 1)[0]
            self.assertEqual((status, headers.get("retry-after")), (503, "1"))
            for sock in (a, b, c):
                sock.close()

    def test_limits_are_configurable(self):
        with Orderd("--max-body-bytes", "100", "--max-header-bytes", "512") as s:
            self.assertEqual(raw_exchange(s.port, post_bytes("/orders/", "x" * 101), 1)[0][0], 413)
            big = b"GET /health HTTP/1.1\r\nX: " + b"a" * 600 + b"\r\n\r\n"
            self.assertEqual(raw_exchange(s.port, big, 1)[0][0], 431)
            self.assertEqual(s.create("SMALL")[0], 201)


class ConcurrencyTest(unittest.TestCase):
    def test_1000_concurrent_creates_land_exactly_once(self):
        total = max(100, 1000 // SCALE)
        per_thread = 10
        with Orderd() as s:
            results = []
            lock = threading.Lock()

            def worker(t):
                conn = http.client.HTTPConnection(s.host, s.port, timeout=120)
                codes = []
                for i in range(per_thread):
                    conn.request("POST", "/orders/", order_body(f"CC-{t}-{i}"),
                                 {"Content-Type": "application/json"})
                    resp = conn.getresponse()
                    resp.read()
                    codes.append(resp.status)
                conn.close()
                with lock:
                    results.extend(codes)

            threads = [threading.Thread(target=worker, args=(t,)) for t in range(total // per_thread)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=300)
            self.assertEqual(results.count(201), total)
            code, _, metrics = s.request("GET", "/orders/metrics")
            self.assertEqual(metrics["total_orders"], total)
            code, _, ids = s.request("GET", "/orders/metrics?getOrderIds=true&limit=10000")
            listed = sum((ids[k]["order_ids"] for k in ("pending", "processing", "completed")), [])
            self.assertEqual(len(listed), total)
            self.assertEqual(len(set(listed)), total)

    def test_one_order_id_from_many_connections_gets_one_201(self):
        with Orderd() as s:
            clients = 50
            barrier = threading.Barrier(clients)
            codes = []
            lock = threading.Lock()

            def worker():
                conn = http.client.HTTPConnection(s.host, s.port, timeout=60)
                conn.connect()
                barrier.wait(timeout=60)
                conn.request("POST", "/orders/", order_body("SAME-ID"),
                             {"Content-Type": "application/json"})
                resp = conn.getresponse()
                resp.read()
                conn.close()
                with lock:
                    codes.append(resp.status)

            threads = [threading.Thread(target=worker) for _ in range(clients)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=120)
            self.assertEqual(codes.count(201), 1)
            self.assertEqual(codes.count(409), clients - 1)

    def test_populate_a_million_orders_takes_seconds(self):
        entries = 1_000_000 // SCALE
        with Orderd() as s:
            start = time.monotonic()
            code, _, body = s.request("POST", "/orders/populate", {"total_entries": entries},
                                      timeout=300)
            elapsed = time.monotonic() - start
            self.assertEqual(code, 201)
            self.assertEqual(body["success_count"], entries)
            print(f"\npopulate {entries} orders: {elapsed:.2f} s", file=sys.stderr)
            if SCALE == 1:
                self.assertLess(elapsed, 30)
            self.assertEqual(s.request("GET", "/health")[0], 200)


class ShutdownTest(unittest.TestCase):
    def test_sigterm_finishes_in_flight_request_and_exits_0(self):
        # The populate must finish within the shutdown's patience, and on a
        # busy machine it can take longer than the default 10 s.
        with Orderd("--shutdown-timeout", "120s") as s:
            sock = socket.create_connection(("127.0.0.1", s.port), timeout=120)
            sock.sendall(post_bytes("/orders/populate",
                                    json.dumps({"total_entries": 1_000_000 // SCALE})))
            deadline = time.monotonic() + 60
            while s.request("GET", "/orders/metrics")[2]["total_orders"] == 0:
                self.assertLess(time.monotonic(), deadline, "populate never started")
                time.sleep(0.01)
            s.signal(signal.SIGTERM)
            replies = read_responses(sock, 1)
            sock.close()
            self.assertEqual(len(replies), 1)
            status, headers, body = replies[0]
            self.assertEqual(status, 201)
            self.assertEqual(headers.get("connection"), "close")
            self.assertEqual(s.wait(timeout=120), 0, s.stderr_text())
            with self.assertRaises(OSError):
                socket.create_connection(("127.0.0.1", s.port), timeout=2).close()

    def test_sigint_with_idle_connections_exits_0(self):
        with Orderd() as s:
            idle = socket.create_connection(("127.0.0.1", s.port), timeout=30)
            idle.sendall(b"GET /health HTTP/1.1\r\nHost: t\r\n\r\n")
            self.assertEqual(read_responses(idle, 1)[0][0], 200)
            start = time.monotonic()
            s.signal(signal.SIGINT)
            self.assertEqual(s.wait(timeout=60), 0, s.stderr_text())
            self.assertLess(time.monotonic() - start, 10)
            self.assertEqual(idle.recv(10), b"", "idle connection closed")
            idle.close()


class CliTest(unittest.TestCase):
    def run_orderd(self, *args, env=None):
        full_env = dict(os.environ)
        full_env.update(env or {})
        return subprocess.run([ORDERD, *args], capture_output=True, text=True, timeout=60,
                              env=full_env)

    def test_help_lists_flags_and_environment_variables(self):
        done = self.run_orderd("--help")
        self.assertEqual(done.returncode, 0)
        for flag in ("--port", "--bind", "--data-dir", "--threads", "--workers", "--capacity",
                     "--processing-time", "--max-body-bytes", "--max-header-bytes",
                     "--max-connections", "--read-timeout", "--idle-timeout", "--demo-products",
                     "--demo-stock", "--max-order-total", "--idempotency-ttl",
                     "--idempotency-max-keys", "ORDERD_PORT", "ORDERD_PROCESSING_TIME",
                     "ORDERD_MAX_ORDER_TOTAL"):
            self.assertIn(flag, done.stdout)

    def test_bad_values_are_refused(self):
        for args in (["--processing-time", "soon"], ["--port", "70000"], ["--threads", "x"],
                     ["--read-timeout", "0"], ["--max-order-total", "-5"],
                     ["--idempotency-ttl", "0"], ["--idempotency-max-keys", "0"],
                     ["--fsync", "interval:2m"], ["--no-such-flag"]):
            with self.subTest(args=args):
                done = self.run_orderd(*args)
                self.assertNotEqual(done.returncode, 0)
                self.assertTrue(done.stderr)

    def test_listening_beyond_loopback_without_authentication_is_refused(self):
        # Refused before anything listens: the test opens no outside port.
        done = self.run_orderd("--bind", "0.0.0.0", "--port", "0")
        self.assertEqual(done.returncode, 2, done.stderr)
        self.assertIn("refusing to listen on 0.0.0.0", done.stderr)
        self.assertIn("--allow-unauthenticated", done.stderr)
        self.assertEqual(done.stdout, "")

    def test_rate_limit_refuses_beyond_the_burst(self):
        with Orderd("--rate-limit", "0.01", "--rate-burst", "3", "--rate-limit-loopback") as s:
            # wait_ready's probes are not limited.
            for _ in range(3):
                code, headers, _ = s.request("GET", "/orders/metrics")
                self.assertEqual(code, 200)
                self.assertEqual(headers["ratelimit-limit"], "3")
            code, headers, body = s.request("GET", "/orders/metrics")
            self.assertEqual(code, 429, body)
            self.assertEqual(headers["ratelimit-remaining"], "0")
            self.assertGreaterEqual(int(headers["retry-after"]), 1)
            self.assertIn("rate limit exceeded", body["error"])

    def test_environment_variables_configure_the_server(self):
        with Orderd(env={"ORDERD_PORT": "0", "ORDERD_DEMO_PRODUCTS": "5"}) as s:
            self.assertEqual(s.request("GET", "/api/v1/products/5")[0], 200)
            self.assertEqual(s.request("GET", "/api/v1/products/6")[0], 404)

    def test_orders_above_max_order_total_are_rejected_in_processing(self):
        with Orderd("--max-order-total", "10.00", "--workers", "1") as s:
            # Demo product k costs (k % 100).99.
            self.assertEqual(s.create("CHEAP", items=[1, 2], total=4.98)[0], 201)
            self.assertEqual(s.create("DEAR", items=[50, 60], total=111.98)[0], 201)
            self.assertEqual(s.wait_status("CHEAP", "Completed")["catalog_total"], 4.98)
            dear = s.wait_status("DEAR", "Rejected")
            self.assertEqual(dear["reason"], "order total exceeds the limit per order")
            self.assertEqual(dear["catalog_total"], 111.98)
            metrics = s.request("GET", "/metrics")[2]
            self.assertRegex(metrics, r"(?m)^orderd_orders_rejected_in_processing_total 1$")

    def test_port_in_use_exits_1(self):
        with Orderd() as s:
            data_dir = tempfile.mkdtemp(prefix="orderd-test-")
            try:
                done = self.run_orderd("--port", str(s.port), "--data-dir", data_dir)
            finally:
                shutil.rmtree(data_dir, ignore_errors=True)
            self.assertEqual(done.returncode, 1)
            self.assertIn("bind", done.stderr)
            self.assertEqual(done.stdout, "")


GROUPS = {
    "api": [ApiTest, CapacityTest],
    "idempotency": [IdempotencyTest],
    "seed": [SeedExamplesTest],
    "connection": [ConnectionTest],
    "concurrency": [ConcurrencyTest],
    "shutdown": [ShutdownTest],
    "cli": [CliTest],
}


def main():
    global ORDERD, SCALE
    parser = argparse.ArgumentParser()
    parser.add_argument("--orderd", required=True)
    parser.add_argument("--scale-divisor", type=int, default=1)
    parser.add_argument("group", choices=sorted(GROUPS))
    args, rest = parser.parse_known_args()
    ORDERD, SCALE = os.path.abspath(args.orderd), max(1, args.scale_divisor)
    suite = unittest.TestSuite()
    loader = unittest.TestLoader()
    for case in GROUPS[args.group]:
        suite.addTests(loader.loadTestsFromTestCase(case))
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
