#!/usr/bin/env python3
"""Black-box tests of seeds 000 and 002 against the orderd binary: their
example requests, sent verbatim with curl once the server holds what they
name (customers, products 101 and 102, orders 1 and 123/124).

    orderd_shop_blackbox_test.py --orderd path/to/orderd
"""
import argparse
import json
import os
import subprocess
import sys
import time
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import orderd_blackbox_test as blackbox  # noqa: E402

# Seed 000's curl examples, as the seed gives them.
SEED000_PUT = """curl -X PUT http://localhost:5000/api/orders/123 \\
  -H "Content-Type: application/json" \\
  -d '{"status": "Shipped"}'"""

SEED000_BULK = """curl -X PUT http://localhost:5000/api/orders/bulk/status \\
  -H "Content-Type: application/json" \\
  -d '{
    "orders": [
      {"order_id": 123, "status": "Shipped"},
      {"order_id": 124, "status": "Delivered"}
    ]
  }'"""

# Seed 002's request bodies, as the seed gives them.
SEED002_REGISTER = """{
     "name": "Customer Name",
     "email": "email@example.com",
     "phone_number": "1234567890"
   }"""

SEED002_PLACE = """{
     "customer_id": 1,
     "items": [
       {
         "product_id": 101,
         "quantity": 2
       },
       {
         "product_id": 102,
         "quantity": 5
       }
     ]
   }"""

SEED002_STATUS = """{
     "order_id": 1,
     "status": "shipped"
   }"""


def curl(server, command):
    command = command.replace("localhost:5000", server.address)
    done = subprocess.run(["bash", "-c", command + " -s -w '\\n%{http_code}'"],
                          capture_output=True, timeout=90)
    if done.returncode != 0:
        raise AssertionError(done.stderr)
    body, _, code = done.stdout.decode().rpartition("\n")
    return int(code), json.loads(body)


def curl_json(server, method, path, body):
    return curl(server, f"curl -X {method} http://localhost:5000{path} "
                        f"-H 'Content-Type: application/json' -d '{body}'")


def start_shop():
    """A server with no demo catalog, products 101 and 102 and one customer."""
    server = blackbox.Orderd("--demo-products", "0")
    for pid, price in ((101, 10.0), (102, 5.5)):
        code, _, body = server.request("POST", "/api/v1/products",
                                       {"id": pid, "name": f"Product {pid}", "price": price,
                                        "stock": 100000})
        assert code == 201, body
    return server


def wait_seq_status(server, seq, status, timeout=30):
    """Waits until order `seq` (the integer id) shows `status` in GET /orders/order_<seq>."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        code, _, body = server.request("GET", f"/orders/order_{seq}")
        if code == 200 and body["status"] == status:
            return body
        time.sleep(0.02)
    raise AssertionError(f"order {seq} never reached {status}")


class Seed002Test(unittest.TestCase):
    def test_seed_requests_verbatim(self):
        with start_shop() as s:
            code, body = curl_json(s, "POST", "/register_customer", SEED002_REGISTER)
            self.assertEqual(code, 201, body)
            self.assertEqual(body, {"message": "Customer registered", "customer_id": 1,
                                    "name": "Customer Name", "email": "email@example.com",
                                    "phone_number": "1234567890"})
            code, body = curl_json(s, "POST", "/register_customer", SEED002_REGISTER)
            self.assertEqual(code, 409, body)

            code, body = curl_json(s, "POST", "/place_order", SEED002_PLACE)
            self.assertEqual(code, 201, body)
            self.assertEqual(body["message"], "Order placed")
            self.assertEqual(body["order_id"], 1)
            self.assertEqual(body["id"], "order_1")
            self.assertEqual(body["customer_id"], 1)
            self.assertEqual([(i["product_id"], i["quantity"]) for i in body["items"]],
                             [(101, 2), (102, 5)])
            self.assertEqual((body["subtotal"], body["discount"], body["total"]),
                             (47.5, 0.0, 47.5))
            self.assertEqual(body["status"], "pending")

            wait_seq_status(s, 1, "Completed")
            code, body = curl_json(s, "PATCH", "/update_order_status", SEED002_STATUS)
            self.assertEqual(code, 200, body)
            self.assertEqual(body, {"message": "Order status updated", "order_id": 1,
                                    "status": "shipped", "version": 4})
            self.assertEqual(wait_seq_status(s, 1, "Shipped")["status"], "Shipped")

    def test_discount_above_ten_units_and_errors(self):
        with start_shop() as s:
            self.assertEqual(curl_json(s, "POST", "/register_customer", SEED002_REGISTER)[0], 201)
            code, _, body = s.request("POST", "/place_order",
                                   {"customer_id": 1,
                                    "items": [{"product_id": 101, "quantity": 11}]})
            self.assertEqual(code, 201, body)
            self.assertEqual((body["subtotal"], body["discount"], body["total"]),
                             (110.0, 11.0, 99.0))
            code, _, body = s.request("POST", "/place_order",
                                   {"customer_id": 1, "items": [{"product_id": 103,
                                                                 "quantity": 1}]})
            self.assertEqual(code, 404, body)
            code, _, body = s.request("POST", "/place_order",
                                   {"customer_id": 1, "items": [{"product_id": 101,
                                                                 "quantity": 200000}]})
            self.assertEqual(code, 409, body)
            self.assertEqual(body["stock_issues"][0]["product_id"], 101)
            code, _, body = s.request("POST", "/place_order",
                                   {"customer_id": 2, "items": [{"product_id": 101,
                                                                 "quantity": 1}]})
            self.assertEqual(code, 404, body)
            code, _, body = s.request("POST", "/place_order",
                                   {"customer_id": 1, "items": [{"product_id": 101,
                                                                 "quantity": -1}]})
            self.assertEqual((code, body["error"]),
                             (400, "items[0].quantity must be a positive integer"))

    def test_home_page(self):
        with start_shop() as s:
            code, headers, body = s.request("GET", "/")
            self.assertEqual(code, 200)
            self.assertEqual(headers["content-type"], "text/html; charset=utf-8")
            for part in ("/register_customer", "/place_order", "/update_order_status"):
                self.assertIn(part, body)

    def test_customers_resource(self):
        with start_shop() as s:
            code, _, body = s.request("POST", "/api/v1/customers",
                                      {"name": "Ada", "email": "ada@example.com",
                                       "external_ref": "cust_123", "city": "London"})
            self.assertEqual(code, 201, body)
            self.assertEqual(s.request("GET", "/api/v1/customers/cust_123")[2], body)
            self.assertEqual(s.request("GET", f"/api/v1/customers/{body['id']}")[2], body)
            code, _, page = s.request("GET", "/api/v1/customers?limit=10")
            self.assertEqual((code, [c["id"] for c in page["customers"]], page["next_after"]),
                             (200, [body["id"]], None))


class VersionsTest(unittest.TestCase):
    """ETag and If-Match on the seed 000 and 002 routes, over HTTP."""

    def test_etag_and_if_match(self):
        with start_shop() as s:
            self.assertEqual(curl_json(s, "POST", "/register_customer", SEED002_REGISTER)[0], 201)
            place = {"customer_id": 1, "items": [{"product_id": 101, "quantity": 1}]}
            code, headers, body = s.request("POST", "/place_order", place)
            self.assertEqual((code, headers.get("etag"), body["version"]), (201, '"1"', 1), body)
            seq = body["order_id"]
            wait_seq_status(s, seq, "Completed")
            self.assertEqual(s.request("GET", f"/orders/order_{seq}")[1].get("etag"), '"3"')

            # PATCH /update_order_status: a stale or foreign tag is 412 and
            # changes nothing; the current one applies.
            patch = {"order_id": seq, "status": "shipped"}
            for tag in ('"1"', '"4"', "junk"):
                code, headers, body = s.request("PATCH", "/update_order_status", patch,
                                                headers={"If-Match": tag})
                self.assertEqual((code, body["version"], headers.get("etag")), (412, 3, '"3"'),
                                 body)
            self.assertEqual(wait_seq_status(s, seq, "Completed")["status"], "Completed")
            code, headers, body = s.request("PATCH", "/update_order_status", patch,
                                            headers={"If-Match": '"3"'})
            self.assertEqual((code, body["version"], headers.get("etag")), (200, 4, '"4"'), body)

            # PUT /api/orders/{id} likewise; "*" checks nothing.
            code, headers, body = s.request("PUT", f"/api/orders/{seq}", {"status": "Delivered"},
                                            headers={"If-Match": '"3"'})
            self.assertEqual((code, body["status"], body["version"]), (412, "Shipped", 4), body)
            code, headers, body = s.request("PUT", f"/api/orders/{seq}", {"status": "Delivered"},
                                            headers={"If-Match": headers["etag"]})
            self.assertEqual((code, headers.get("etag")), (200, '"5"'), body)
            code, headers, body = s.request("PUT", f"/api/orders/{seq}", {"status": "Returned"},
                                            headers={"If-Match": "*"})
            self.assertEqual((code, body["version"]), (200, 6), body)

            # The bulk route ignores If-Match.
            code, _, body = s.request("POST", "/place_order", place)
            other = body["order_id"]
            wait_seq_status(s, other, "Completed")
            code, headers, body = s.request(
                "PUT", "/api/orders/bulk/status",
                {"orders": [{"order_id": other, "status": "Shipped"}]},
                headers={"If-Match": '"1"'})
            self.assertEqual((code, body["updated_count"]), (200, 1), body)
            self.assertNotIn("etag", headers)


class Seed000Test(unittest.TestCase):
    def test_seed_examples_verbatim(self):
        with start_shop() as s:
            self.assertEqual(curl_json(s, "POST", "/register_customer", SEED002_REGISTER)[0], 201)
            # Orders 1 to 124, so that the seed's 123 and 124 exist.
            for seq in range(1, 125):
                code, _, body = s.request("POST", "/place_order",
                                          {"customer_id": 1,
                                           "items": [{"product_id": 101, "quantity": 1}]})
                self.assertEqual((code, body["order_id"]), (201, seq), body)
            for seq in (123, 124):
                wait_seq_status(s, seq, "Completed")
            code, body = curl(s, SEED000_PUT)
            self.assertEqual(code, 200, body)
            self.assertEqual(body, {"message": "Order 123 updated successfully",
                                    "order_id": 123, "status": "Shipped", "version": 4})
            # Delivered needs Shipped first: the first bulk run refuses 124.
            code, body = curl(s, SEED000_BULK)
            self.assertEqual(code, 200, body)
            self.assertEqual(body["message"], "Bulk update completed")
            self.assertEqual((body["updated_count"], body["total_orders"]), (1, 2))
            self.assertEqual(body["errors"], ["Order 124 cannot move from Completed to "
                                              "Delivered (allowed: Cancelled, Shipped)"])
            code, _, body = s.request("PUT", "/api/orders/124", {"status": "Shipped"})
            self.assertEqual(code, 200, body)
            code, body = curl(s, SEED000_BULK)
            self.assertEqual(body, {"message": "Bulk update completed", "updated_count": 2,
                                    "total_orders": 2, "errors": None})
            self.assertEqual(wait_seq_status(s, 124, "Delivered")["status"], "Delivered")
            code, _, body = s.request("PUT", "/api/orders/bulk/status",
                                      {"orders": [{"order_id": 125, "status": "Cancelled"}]})
            self.assertEqual(body["errors"], ["Order 125 not found"])
            code, _, body = s.request("PUT", "/api/orders/123",
                                      {"status": "Delivered", "num_of_item": 4})
            self.assertEqual(code, 409, body)
            self.assertEqual(s.request("PUT", "/api/orders/999", {"status": "Shipped"})[0], 404)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orderd", required=True)
    args, _ = parser.parse_known_args()
    blackbox.ORDERD = os.path.abspath(args.orderd)
    suite = unittest.TestSuite()
    loader = unittest.TestLoader()
    for case in (Seed002Test, VersionsTest, Seed000Test):
        suite.addTests(loader.loadTestsFromTestCase(case))
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
