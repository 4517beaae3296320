#!/usr/bin/env python3
"""The read models survive kill -9: a demo shop changed over HTTP, every
listing, history, analytics answer and export read, the server killed with
SIGKILL and restarted on the same data directory, and every answer read
again must be byte-for-byte the same JSON (compared parsed, so key order
cannot matter, and whole, not just counts).

    read_models_crash_test.py --orderd path/to/orderd
"""
import argparse
import os
import random
import sys
import time
import unittest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "net"))
import orderd_blackbox_test as blackbox  # noqa: E402

# Every read-model route, with the parameters the seeds and the docs name.
QUESTIONS = [
    "/api/v1/orders/",
    "/api/v1/orders/?status=shipped,delivered&sort_by=total_amount&sort_order=asc&page_size=20",
    "/api/v1/orders/?customer_id=cust_123&page=1&page_size=10",
    "/api/v1/orders/?status=pending&user_id=123&min_amount=50.00",
    "/api/v1/orders/?min_amount=100&max_amount=200&sort_by=updated_at&limit=30&skip=10",
    "/api/v1/orders/?sort_by=status&page=3&page_size=7",
    "/api/v1/orders/customers/cust_7/orders?sort_order=asc",
    "/api/v1/orders/my-orders?user_id=9&skip=0&limit=10",
    "/api/customers/123/orders?page=1&per_page=10&status=Delivered",
    "/api/customers/42/orders?sort_by=num_of_item&sort_order=ASC&per_page=50",
    "/api/customers/123/order-history",
    "/api/customers/17/order-history",
    "/api/orders/analytics/summary",
    "/order_history/123",
    "/order_history/55?limit=5",
    "/api/v1/analytics/daily",
    "/api/v1/analytics/orders/status",
    "/api/v1/analytics/customers/top?limit=10",
    "/api/v1/analytics/customers/cust_123",
    "/api/v1/analytics/summary",
    "/api/v1/analytics/revenue/trends?days=60",
    "/api/v1/analytics/quick/today",
    "/api/v1/analytics/quick/week",
    "/api/v1/analytics/quick/month",
    "/api/v1/orders/export",
    "/api/v1/orders/export?format=csv&status=cancelled",
]


def settle(server, timeout=30):
    """Waits until no order is Pending or Processing (the workers are done)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        code, _, metrics = server.request("GET", "/orders/metrics")
        if code == 200 and metrics["in_flight"] == 0:
            return
        time.sleep(0.02)
    raise AssertionError("orders still in flight")


def answers(server):
    out = {}
    for q in QUESTIONS:
        code, _, body = server.request("GET", q)
        assert code == 200, (q, code, body)
        out[q] = body
    # Deep pages by cursor, walked to the end.
    target, pages = "/api/v1/orders/?page_size=100&sort_by=total_amount", []
    while True:
        code, _, body = server.request("GET", target)
        assert code == 200, body
        pages.append(body)
        if body["next_cursor"] is None:
            break
        target = "/api/v1/orders/?page_size=100&sort_by=total_amount&cursor=" + body["next_cursor"]
    out["cursor walk"] = pages
    return out


def change_the_shop(server, rng):
    """Plain and managed orders, status moves, cancels, returns and updates."""
    for i in range(150):
        code, _, _ = server.request("POST", "/orders/", {
            "user_id": rng.randint(1, 200), "order_id": f"crash-{i}",
            "item_ids": [rng.randint(1, 50) for _ in range(3)], "total_amount": 20 + i})
        assert code == 201
    for i in range(60):
        code, _, body = server.request("POST", "/api/v1/orders/", {
            "customer_id": f"cust_{rng.randint(1, 200)}", "customer_email": "c@example.com",
            "items": [{"product_id": "prod_456", "quantity": rng.randint(1, 3)}],
            "currency": rng.choice(["USD", "EUR"]), "tax_amount": 1.5, "shipping_amount": 4,
            "payment_info": {"method": "credit_card", "last_four_digits": "4242"},
            "billing_address": {"street": "1 Main St", "city": "Austin", "state": "TX",
                                "postal_code": "1", "country": "US"},
            "shipping_address": {"street": "1 Main St", "city": rng.choice(["Lyon", "Austin"]),
                                 "state": "X", "postal_code": "1", "country": "US"}})
        assert code == 201, body
    settle(server)
    moves = ["Shipped", "Delivered", "Returned", "Cancelled"]
    for _ in range(300):
        server.request("PUT", f"/api/orders/{rng.randint(1, 2210)}",
                       {"status": rng.choice(moves)})
    for _ in range(20):
        server.request("POST", f"/api/v1/orders/{rng.randint(1, 2210)}/cancel",
                       {"reason": "changed my mind"})
    settle(server)


class ReadModelsCrashTest(unittest.TestCase):
    def test_every_answer_is_the_same_after_kill_9_and_restart(self):
        rng = random.Random(12)
        with blackbox.Orderd("--demo-shop") as server:
            change_the_shop(server, rng)
            before = answers(server)
            server.proc.kill()
            server.proc.wait(timeout=30)
            restarted = blackbox.Orderd(data_dir=server.data_dir)
            try:
                after = answers(restarted)
            finally:
                restarted.kill()
        for q in before:
            self.assertEqual(after[q], before[q], q)
        self.assertGreater(before["/api/v1/orders/"]["total"], 2100)
        self.assertGreater(len(before["cursor walk"]), 20)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orderd", required=True)
    args, _ = parser.parse_known_args()
    blackbox.ORDERD = os.path.abspath(args.orderd)
    suite = unittest.TestLoader().loadTestsFromTestCase(ReadModelsCrashTest)
    result = unittest.TextTestRunner(verbosity=2).run(suite)
    sys.exit(0 if result.wasSuccessful() else 1)


if __name__ == "__main__":
    main()
