#!/usr/bin/env python3
"""Black-box tests of the managed-order routes (seeds 001 and 003) against
the real orderd binary: the seeds' example requests sent as they are written
(only the address changes), then the lifecycle over HTTP.

    managed_orders_blackbox_test.py --orderd path/to/orderd
"""
import argparse
import json
import os
import http.client
import subprocess
import sys
import threading
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import orderd_blackbox_test as blackbox  # noqa: E402

# Seed 003's create example.
SEED003_CREATE = """curl -X POST "http://localhost:8000/api/v1/orders/" \\
-H "Content-Type: application/json" \\
-d '{
  "customer_id": "cust_123",
  "customer_email": "john.doe@example.com",
  "items": [
    {
      "product_id": "prod_456",
      "product_name": "Premium Widget",
      "quantity": 2,
      "unit_price": 29.99
    }
  ],
  "billing_address": {
    "street": "123 Main St",
    "city": "Seattle",
    "state": "WA",
    "postal_code": "98101",
    "country": "US"
  },
  "payment_info": {
    "method": "credit_card",
    "last_four_digits": "1234"
  },
  "tax_amount": 5.99,
  "shipping_amount": 9.99
}'"""

# Seed 003's read example, with the id the create answered.
SEED003_GET = 'curl "http://localhost:8000/api/v1/orders/{id}?customer_id=cust_123"'

# Seed 001's create body, from its Python example.
SEED001_ORDER = {
    "shipping_address_line1": "123 Main St",
    "shipping_city": "New York",
    "shipping_state": "NY",
    "shipping_postal_code": "10001",
    "shipping_country": "USA",
    "order_items": [
        {"product_id": 1, "quantity": 2},
        {"product_id": 3, "quantity": 1}
    ]
}

PRODUCTS = [
    {"id": 456, "name": "Premium Widget", "price": 29.99, "stock": 100, "sku": "prod_456"},
    {"id": 1, "name": "Standard Widget", "price": 10.00, "stock": 50},
    {"id": 3, "name": "Gadget", "price": 4.50, "stock": 3},
]


class ManagedOrdersTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        # No demo catalog; a long processing time keeps orders Pending.
        cls.server = blackbox.Orderd("--demo-products", "0", "--processing-time", "1h")
        for product in PRODUCTS:
            code, _, body = cls.server.request("POST", "/api/v1/products", product)
            assert code == 201, body

    @classmethod
    def tearDownClass(cls):
        cls.server.kill()

    def wait_for_status(self, seq, status, seconds=10):
        deadline = time.monotonic() + seconds
        while True:
            code, _, order = self.server.request("GET", f"/api/v1/orders/{seq}")
            if code == 200 and order["status"] == status:
                return
            if time.monotonic() > deadline:
                self.fail(f"order {seq} never reached {status}: {code} {order}")
            time.sleep(0.01)

    def curl(self, command):
        command = command.replace("localhost:8000", self.server.address)
        done = subprocess.run(["bash", "-c", command], capture_output=True, timeout=90)
        self.assertEqual(done.returncode, 0, done.stderr)
        return json.loads(done.stdout)

    def test_seed003_examples_verbatim(self):
        order = self.curl(SEED003_CREATE)
        self.assertEqual(order["customer_id"], "cust_123")
        # The document is read after acceptance: a worker may have taken it.
        self.assertIn(order["status"], ("pending", "processing"))
        self.assertEqual(order["items"][0]["product_id"], "prod_456")
        self.assertEqual(order["items"][0]["total_price"], 59.98)
        self.assertEqual(order["subtotal"], 59.98)
        self.assertEqual(order["total_amount"], 75.96)
        self.assertEqual(order["payment_info"]["last_four_digits"], "1234")
        self.assertRegex(order["order_number"], r"^ORD-\d{8}-[0-9A-Z]{6,}$")
        read = self.curl(SEED003_GET.format(id=order["id"]))
        self.assertEqual(read["id"], order["id"])
        code, _, _ = self.server.request("GET", f"/api/v1/orders/{order['id']}?customer_id=cust_9")
        self.assertEqual(code, 404)
        code, _, by_number = self.server.request(
            "GET", f"/api/v1/orders/number/{order['order_number']}")
        self.assertEqual(code, 200)
        self.assertEqual(by_number["id"], order["id"])

    def test_seed001_create_delete_and_status(self):
        s = self.server
        code, _, order = s.request("POST", "/api/v1/orders/", SEED001_ORDER,
                                   headers={"Authorization": "Bearer token"})
        self.assertEqual(code, 201, order)
        self.assertIsInstance(order["order_id"], int)
        self.assertEqual(order["total_amount"], 24.5)
        self.assertEqual(order["shipping_city"], "New York")
        seq = order["order_id"]
        # A worker takes the order into Processing at once, and seed 001
        # deletes only Pending orders: 409 naming the status, order kept.
        # Wait for the worker so the DELETE cannot win the race.
        # (The in-process tests delete a Pending one.)
        self.wait_for_status(seq, "processing")
        code, _, refused = s.request("DELETE", f"/api/v1/orders/{seq}")
        self.assertEqual(code, 409, refused)
        self.assertEqual(refused["status"], "processing")
        code, _, kept = s.request("GET", f"/api/v1/orders/{seq}")
        self.assertEqual(code, 200)

        code, _, order = s.request("POST", "/api/v1/orders", SEED001_ORDER)
        self.assertEqual(code, 201, order)
        seq = order["order_id"]
        code, _, confirmed = s.request("PUT", f"/api/v1/orders/{seq}/status",
                                       {"status": "confirmed"})
        self.assertEqual((code, confirmed["status"]), (200, "confirmed"), confirmed)
        code, _, shipped = s.request("PUT", f"/api/v1/orders/{seq}/status", {"status": "shipped"})
        self.assertEqual((code, shipped["status"]), (200, "shipped"))
        self.assertIn("shipped_at", shipped)
        code, _, refused = s.request("POST", f"/api/v1/orders/{seq}/cancel", {"reason": "late"})
        self.assertEqual(code, 409, refused)
        code, _, events = s.request("GET", f"/api/v1/orders/{seq}/events")
        self.assertEqual(code, 200)
        self.assertEqual([e["type"] for e in events["events"]][0], "created")

    def test_stock_shortfall_and_stock_check(self):
        s = self.server
        body = dict(SEED001_ORDER, order_items=[{"product_id": 3, "quantity": 50}])
        code, _, refused = s.request("POST", "/api/v1/orders/", body)
        self.assertEqual(code, 409, refused)
        issue = refused["detail"]["stock_issues"][0]
        self.assertEqual(refused["detail"]["message"], "Some products have insufficient stock")
        self.assertEqual((issue["product_id"], issue["requested"]), (3, 50))
        self.assertEqual(issue["product_name"], "Gadget")
        code, _, report = s.request("GET", "/api/v1/orders/health/stock-check")
        self.assertEqual(code, 200)
        self.assertEqual(report["products"], 3)
        self.assertIn(report["status"], ("low_stock", "out_of_stock"))
        self.assertIn(3, [p["product_id"] for p in report["low_stock"]])

    def test_update_cancel_and_refusals(self):
        s = self.server
        order = self.curl(SEED003_CREATE)
        oid = order["id"]
        version = s.request("GET", f"/api/v1/orders/{oid}")[2]["version"]
        code, _, updated = s.request("PUT", f"/api/v1/orders/{oid}",
                                     {"payment_info": {"status": "paid"},
                                      "metadata": {"gift": True}})
        self.assertEqual(code, 200, updated)
        self.assertEqual(updated["payment_info"]["status"], "paid")
        self.assertEqual(updated["metadata"], {"gift": True})
        self.assertEqual(updated["version"], version + 1)
        code, _, stale = s.request("PUT", f"/api/v1/orders/{oid}", {"customer_email": "a@b.c"},
                                   headers={"If-Match": '"1"'})
        self.assertEqual(code, 412, stale)
        code, _, cancelled = s.request("POST", f"/api/v1/orders/{oid}/cancel")
        self.assertEqual((code, cancelled["status"]), (200, "cancelled"))
        card = dict(json.loads(SEED003_CREATE.split("-d '", 1)[1].rstrip("'")))
        card["payment_info"] = {"method": "credit_card", "card_number": "4111111111111111"}
        code, _, refused = s.request("POST", "/api/v1/orders/", card)
        self.assertEqual(code, 400)
        self.assertNotIn("4111", json.dumps(refused))
        self.assertNotIn("4111", s.stderr_text())
        code, _, price = s.request("POST", "/api/v1/orders/", dict(card, payment_info={
            "method": "paypal"}, items=[{"product_id": "prod_456", "quantity": 1,
                                          "unit_price": 1.0}]))
        self.assertEqual(code, 409, price)
        self.assertEqual(price["price_issues"][0]["catalog_price"], 29.99)
        code, _, missing = s.request("POST", "/api/v1/orders/", dict(card, payment_info={
            "method": "paypal"}, items=[{"product_id": "prod_x", "quantity": 1}]))
        self.assertEqual((code, missing["error"]), (404, "unknown product prod_x"))


class VersionsTest(unittest.TestCase):
    """ETag and If-Match on the managed-order routes, over HTTP."""

    @classmethod
    def setUpClass(cls):
        # Orders move into Processing at once and stay there for the hour.
        cls.server = blackbox.Orderd("--demo-products", "0", "--processing-time", "1h")
        for product in PRODUCTS:
            code, _, body = cls.server.request("POST", "/api/v1/products", product)
            assert code == 201, body

    @classmethod
    def tearDownClass(cls):
        cls.server.kill()

    def processing_order(self):
        """A new seed 003 order, once a worker has taken it: (id, version)."""
        body = json.loads(SEED003_CREATE.split("-d '", 1)[1].rstrip("'"))
        code, headers, order = self.server.request("POST", "/api/v1/orders/", body)
        self.assertEqual(code, 201, order)
        self.assertEqual(headers.get("etag"), f'"{order["version"]}"')
        for _ in range(1500):
            code, headers, order = self.server.request("GET", f"/api/v1/orders/{order['id']}")
            if order["status"] == "processing":
                self.assertEqual(headers.get("etag"), f'"{order["version"]}"')
                return order["id"], order["version"]
        self.fail("the order never reached processing")

    def test_etag_on_every_answer_and_if_match_on_every_change(self):
        s = self.server
        oid, version = self.processing_order()
        tag = f'"{version}"'
        number = s.request("GET", f"/api/v1/orders/{oid}")[2]["order_number"]
        code, headers, _ = s.request("GET", f"/api/v1/orders/number/{number}")
        self.assertEqual((code, headers.get("etag")), (200, tag))

        # Stale, foreign and list tags: 412 with the current version, nothing changed.
        for stale in (f'"{version - 1}"', f'"{version + 1}"', "nope", '"1", "2"'):
            for method, path, body in (
                    ("PUT", f"/api/v1/orders/{oid}", {"metadata": {"n": 1}}),
                    ("PUT", f"/api/v1/orders/{oid}/status", {"status": "confirmed"}),
                    ("POST", f"/api/v1/orders/{oid}/cancel", None),
                    ("DELETE", f"/api/v1/orders/{oid}", None)):
                code, headers, refused = s.request(method, path, body,
                                                   headers={"If-Match": stale})
                self.assertEqual((code, refused.get("version"), headers.get("etag")),
                                 (412, version, tag), (method, path, stale, refused))
        code, headers, order = s.request("GET", f"/api/v1/orders/{oid}")
        self.assertEqual((order["version"], order["status"], order["metadata"]),
                         (version, "processing", None))

        # The current tag applies; the answer names the next one.
        code, headers, order = s.request("PUT", f"/api/v1/orders/{oid}", {"metadata": {"n": 1}},
                                         headers={"If-Match": tag})
        self.assertEqual((code, order["version"], headers.get("etag")),
                         (200, version + 1, f'"{version + 1}"'), order)
        code, headers, order = s.request("PUT", f"/api/v1/orders/{oid}/status",
                                         {"status": "confirmed"},
                                         headers={"If-Match": headers["etag"]})
        self.assertEqual((code, order["status"], headers.get("etag")),
                         (200, "confirmed", f'"{version + 2}"'), order)
        code, headers, order = s.request("POST", f"/api/v1/orders/{oid}/cancel", {"reason": "x"},
                                         headers={"If-Match": "*"})
        self.assertEqual((code, order["status"], order["version"]), (200, "cancelled",
                                                                     version + 3), order)
        self.assertEqual(headers.get("etag"), f'"{version + 3}"')

    def test_an_idempotent_replay_carries_the_first_etag(self):
        s = self.server
        oid, version = self.processing_order()
        key = {"Idempotency-Key": f"etag-{oid}", "If-Match": f'"{version}"'}
        first = s.request("PUT", f"/api/v1/orders/{oid}", {"metadata": {"k": 1}}, headers=key)
        again = s.request("PUT", f"/api/v1/orders/{oid}", {"metadata": {"k": 1}}, headers=key)
        self.assertEqual((first[0], first[1].get("etag")), (200, f'"{version + 1}"'))
        self.assertEqual((again[0], again[1].get("etag"), again[2]),
                         (200, f'"{version + 1}"', first[2]))
        self.assertEqual(again[1].get("idempotent-replayed"), "true")

    def test_concurrent_updates_with_if_match_retries_apply_each_once(self):
        threads, per_thread = 8, 10
        s = self.server
        oid, start = self.processing_order()
        applied = []  # the version each successful PUT answered
        conflicts = [0]
        lock = threading.Lock()
        failures = []

        def worker(t):
            # One connection per thread, kept open: many connections at once.
            conn = http.client.HTTPConnection(s.host, s.port, timeout=60)
            try:
                def call(method, body=None, tag=None):
                    headers = {"Content-Type": "application/json"}
                    if tag is not None:
                        headers["If-Match"] = tag
                    conn.request(method, f"/api/v1/orders/{oid}",
                                 body=None if body is None else json.dumps(body), headers=headers)
                    resp = conn.getresponse()
                    return resp.status, resp.getheader("ETag"), json.loads(resp.read())

                code, tag, _ = call("GET")
                assert code == 200 and tag, code
                for i in range(per_thread):
                    while True:
                        code, new_tag, body = call("PUT", {"metadata": {"t": t, "i": i}}, tag)
                        if code == 412:
                            # The 412 names the current version: retry with it.
                            assert new_tag == f'"{body["version"]}"', (new_tag, body)
                            tag = new_tag
                            with lock:
                                conflicts[0] += 1
                            continue
                        assert code == 200, (code, body)
                        assert new_tag == f'"{body["version"]}"', (new_tag, body)
                        assert body["metadata"] == {"t": t, "i": i}, body
                        with lock:
                            applied.append(body["version"])
                        tag = new_tag
                        break
            except Exception as e:  # noqa: BLE001 - reported below
                failures.append(repr(e))
            finally:
                conn.close()

        pool = [threading.Thread(target=worker, args=(t,)) for t in range(threads)]
        for th in pool:
            th.start()
        for th in pool:
            th.join(timeout=120)
        self.assertEqual(failures, [])
        total = threads * per_thread
        # Each update applied exactly once, each at its own version.
        self.assertEqual(len(applied), total)
        self.assertEqual(sorted(applied), list(range(start + 1, start + total + 1)))
        code, headers, order = s.request("GET", f"/api/v1/orders/{oid}")
        self.assertEqual((order["version"], headers.get("etag")),
                         (start + total, f'"{start + total}"'))
        code, _, history = s.request("GET", f"/api/v1/orders/{oid}/events")
        self.assertEqual(code, 200)
        versions = [e["version"] for e in history["events"]]
        self.assertEqual(versions, sorted(set(versions)), "strictly increasing")
        self.assertEqual(versions, list(range(1, start + total + 1)))
        updates = [e for e in history["events"] if e["type"] == "updated"]
        self.assertEqual(len(updates), total)
        self.assertEqual([e["version"] for e in updates],
                         list(range(start + 1, start + total + 1)))
        print(f"\n  {total} updates, {conflicts[0]} If-Match conflicts retried", file=sys.stderr)


class DurableManagedOrdersTest(unittest.TestCase):
    def test_orders_and_their_changes_survive_a_restart(self):
        with blackbox.Orderd("--demo-products", "0", "--processing-time", "1h") as s:
            for product in PRODUCTS:
                self.assertEqual(s.request("POST", "/api/v1/products", product)[0], 201)
            code, _, order = s.request("POST", "/api/v1/orders/", SEED001_ORDER)
            self.assertEqual(code, 201)
            seq = order["order_id"]
            code, _, _ = s.request("PUT", f"/api/v1/orders/{seq}/status", {"status": "confirmed"})
            self.assertEqual(code, 200)
            data_dir = s.data_dir
            s.proc.kill()
            s.proc.wait(timeout=30)
            # The same data directory, a new process.
            restarted = subprocess.Popen(
                [blackbox.ORDERD, "--data-dir", data_dir, "--port", "0", "--demo-products", "0"],
                stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            try:
                line = blackbox.read_first_line(restarted, 30)
                match = blackbox.LISTENING.match(line)
                self.assertIsNotNone(match, line)
                s.host, s.port = match.group(1), int(match.group(2))
                s.proc = restarted
                s.wait_ready(30)
                code, _, again = s.request("GET", f"/api/v1/orders/{seq}")
                self.assertEqual(code, 200)
                self.assertEqual(again["status"], "completed")
                self.assertEqual(again["shipping_city"], "New York")
            finally:
                restarted.kill()
                restarted.wait(timeout=30)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orderd", required=True)
    parser.add_argument("--scale-divisor", type=int, default=1)
    args, _ = parser.parse_known_args()
    blackbox.ORDERD = os.path.abspath(args.orderd)
    blackbox.SCALE = max(1, args.scale_divisor)
    suite = unittest.TestSuite()
    loader = unittest.TestLoader()
    for case in (ManagedOrdersTest, VersionsTest, DurableManagedOrdersTest):
        suite.addTests(loader.loadTestsFromTestCase(case))
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
