#!/usr/bin/env python3
"""Latency of the listing, customer and analytics routes over HTTP against a
running orderd: each question asked N times in a row on one keep-alive
connection (after one untimed ask), p50 and p99 of the full request time
as this client sees it (Python's http.client: its own overhead included).
Also a deep walk by cursor. Loopback only; starts no process.

    bench/read_models_http_bench.py http://127.0.0.1:5000 [--repetitions 100]
"""
import argparse
import http.client
import json
import time
import urllib.parse

QUESTIONS = [
    "/api/v1/orders/?page_size=50",
    "/api/v1/orders/?page_size=50&sort_order=asc",
    "/api/v1/orders/?page_size=50&status=pending",
    "/api/v1/orders/?page_size=50&status=completed&sort_by=total_amount",
    "/api/v1/orders/?page_size=50&min_amount=100&max_amount=150",
    "/api/v1/orders/?page_size=50&sort_by=total_amount&sort_order=asc",
    "/api/v1/orders/?page_size=50&sort_by=updated_at",
    "/api/v1/orders/?page_size=50&sort_by=status",
    "/api/v1/orders/?page_size=50&user_id=4242",
    "/api/v1/orders/?skip=100000&limit=50",
    "/api/customers/4242/orders?per_page=50",
    "/api/customers/4242/order-history",
    "/api/v1/orders/customers/4242/orders?page_size=50",
    "/api/orders/analytics/summary",
    "/api/v1/analytics/daily",
    "/api/v1/analytics/orders/status",
    "/api/v1/analytics/customers/top?limit=10",
    "/api/v1/analytics/customers/4242",
    "/api/v1/analytics/summary",
    "/api/v1/analytics/revenue/trends?days=30",
    "/api/v1/analytics/quick/today",
    "/api/v1/analytics/quick/week",
    "/api/v1/analytics/quick/month",
]


def percentile(values, p):
    values = sorted(values)
    return values[min(len(values) - 1, int(len(values) * p))]


def ask(conn, path):
    start = time.perf_counter()
    conn.request("GET", path)
    resp = conn.getresponse()
    body = resp.read()
    elapsed = (time.perf_counter() - start) * 1e3
    if resp.status != 200:
        raise RuntimeError(f"{path}: {resp.status} {body[:200]!r}")
    return elapsed, body


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base_url")
    parser.add_argument("--repetitions", type=int, default=100)
    args = parser.parse_args()
    url = urllib.parse.urlparse(args.base_url)
    conn = http.client.HTTPConnection(url.hostname, url.port or 80, timeout=60)
    _, body = ask(conn, "/api/v1/orders/?page_size=1")
    print(f"orders: {json.loads(body)['total']:,}")
    print(f"{'question':<72} {'p50 ms':>8} {'p99 ms':>8}")
    for path in QUESTIONS:
        ask(conn, path)
        times = [ask(conn, path)[0] for _ in range(args.repetitions)]
        print(f"{path:<72} {percentile(times, 0.5):8.3f} {percentile(times, 0.99):8.3f}")
    # 200 pages deep by cursor, then the next page timed.
    path = "/api/v1/orders/?page_size=50"
    for _ in range(200):
        cursor = json.loads(ask(conn, path)[1])["next_cursor"]
        path = "/api/v1/orders/?page_size=50&cursor=" + cursor
    times = [ask(conn, path)[0] for _ in range(args.repetitions)]
    print(f"{'page 201 by cursor':<72} {percentile(times, 0.5):8.3f} {percentile(times, 0.99):8.3f}")
    conn.close()


if __name__ == "__main__":
    main()
