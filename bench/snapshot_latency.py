#!/usr/bin/env python3
"""Create latency over HTTP while snapshots of a large state are written.

One orderd (--fsync always by default) is filled with --orders completed
orders through POST /orders/populate. Then rounds alternate two kinds of
open-loop orderload create runs at a fixed rate: quiet, and with snapshots
written back to back (POST /admin/snapshot in a loop) for the whole run.
The report gives the median p50/p99/p99.9 of each kind and the ratio of the
p99s: what a snapshot does to the latency clients see.

    bench/snapshot_latency.py --orderd build/release/app/orderd --orders 1000000 --rate 10000

Loopback only; orderd and orderload are stopped on every exit path.
"""

import argparse
import http.client
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ab_create import journal_figures, scrape, start_orderd, stop  # noqa: E402


def post(url, path, body, timeout=600):
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout)
    try:
        conn.request("POST", path, body=json.dumps(body),
                     headers={"Content-Type": "application/json"})
        response = conn.getresponse()
        return response.status, json.loads(response.read() or b"{}")
    finally:
        conn.close()


def get(url, path):
    parts = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
    try:
        conn.request("GET", path)
        return json.loads(conn.getresponse().read())
    finally:
        conn.close()


def fill(url, orders):
    left = orders
    while left > 0:
        batch = min(left, 1_000_000)
        status, body = post(url, "/orders/populate", {"total_entries": batch})
        if status != 201:
            raise RuntimeError(f"populate answered {status}: {body}")
        left -= batch
    deadline = time.monotonic() + 600
    while time.monotonic() < deadline:
        metrics = get(url, "/orders/metrics")
        if metrics["pending"]["count"] == 0 and metrics["processing"]["count"] == 0:
            return metrics["total_orders"]
        time.sleep(0.5)
    raise RuntimeError("populated orders did not complete within 600 s")


class SnapshotLoop:
    """Writes snapshots back to back until stopped; counts them."""

    def __init__(self, url):
        self.url = url
        self.stopping = threading.Event()
        self.written = []
        self.error = None
        self.thread = threading.Thread(target=self._run, daemon=True)

    def _run(self):
        while not self.stopping.is_set():
            status, body = post(self.url, "/admin/snapshot", {})
            if status != 201:
                self.error = f"/admin/snapshot answered {status}: {body}"
                return
            self.written.append(body)

    def __enter__(self):
        self.thread.start()
        # The first snapshot has started once its capture begins; give the
        # request a moment to reach the server.
        time.sleep(0.2)
        return self

    def __exit__(self, *exc):
        self.stopping.set()
        self.thread.join(timeout=600)


def load(args, url, result_file):
    before = scrape(url)
    subprocess.run([args.orderload, "--url", url, "--rate", str(args.rate),
                    "-c", str(args.connections), "-t", "1", "--duration", args.duration,
                    "--warmup", "0", "--no-progress", "--json", result_file],
                   check=True, stdout=subprocess.DEVNULL, timeout=600)
    journal = journal_figures(before, scrape(url))
    with open(result_file) as f:
        result = json.load(f)
    figures = {"p50": result["latency_us"]["p50"] / 1000, "p99": result["latency_us"]["p99"] / 1000,
               "p99.9": result["latency_us"]["p99.9"] / 1000, "rate": result["achieved_rate"],
               "errors": result["errors"]["total"]}
    figures.update(journal)
    return figures


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orderd", default="build/release/app/orderd")
    parser.add_argument("--orderload", default="build/release/loadgen/orderload")
    parser.add_argument("--flags", default="--fsync=always", help="extra orderd flags")
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--rate", type=int, default=10_000)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", default="8s")
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if args.rounds < 5:
        parser.error("--rounds must be at least 5")

    work = tempfile.mkdtemp(prefix="orderd-snapshot-latency-")
    proc = None
    runs = {"quiet": [], "snapshots": []}
    snapshots = []
    try:
        proc, url = start_orderd(args.orderd, args.flags.split() + ["--populate-max", str(
            max(args.orders, 1))], os.path.join(work, "data"), 1)
        started = time.monotonic()
        total = fill(url, args.orders)
        print(f"{total} orders in orderd after {time.monotonic() - started:.1f} s", file=sys.stderr)
        result_file = os.path.join(work, "result.json")
        for round_index in range(args.rounds):
            kinds = ["quiet", "snapshots"] if round_index % 2 == 0 else ["snapshots", "quiet"]
            for kind in kinds:
                if kind == "quiet":
                    figures = load(args, url, result_file)
                else:
                    with SnapshotLoop(url) as loop:
                        figures = load(args, url, result_file)
                    if loop.error:
                        raise RuntimeError(loop.error)
                    snapshots.extend(loop.written)
                    figures["snapshots"] = len(loop.written)
                runs[kind].append(figures)
                print(f"round {round_index + 1} {kind:>9}: p50 {figures['p50']:.2f} ms, "
                      f"p99 {figures['p99']:.2f} ms, p99.9 {figures['p99.9']:.2f} ms, "
                      f"fsync mean {figures.get('fsync_mean_ms', 0):.2f} ms, "
                      f"{figures['rate']:.0f} req/s, errors {figures['errors']}", file=sys.stderr)
    finally:
        if proc is not None:
            stop(proc)
        shutil.rmtree(work, ignore_errors=True)

    def med(kind, key):
        return statistics.median(f[key] for f in runs[kind])
    print(f"orderd {args.flags} holding {total:,} orders; orderload open loop at {args.rate} "
          f"creates/s, {args.connections} connections, {args.duration} per run; "
          f"{args.rounds} rounds alternating the two kinds\n")
    def journal(kind, key):
        values = [f[key] for f in runs[kind] if key in f]
        return f"{statistics.median(values):.2f}" if values else "–"
    print("| runs | p50 ms | p99 ms (min–max) | p99.9 ms | achieved req/s | errors "
          "| fsync mean ms | fsync p99 ≤ ms |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
    for kind in ("quiet", "snapshots"):
        p99s = [f["p99"] for f in runs[kind]]
        print(f"| {kind} | {med(kind, 'p50'):.2f} | {med(kind, 'p99'):.2f} "
              f"({min(p99s):.2f}–{max(p99s):.2f}) | {med(kind, 'p99.9'):.2f} | "
              f"{med(kind, 'rate'):,.0f} | {sum(f['errors'] for f in runs[kind])} | "
              f"{journal(kind, 'fsync_mean_ms')} | {journal(kind, 'fsync_p99_le_ms')} |")
    if snapshots:
        largest = max(snapshots, key=lambda s: s["orders"])
        durations = [s["duration_seconds"] for s in snapshots]
        print(f"\n{len(snapshots)} snapshots written during the snapshot runs, the largest "
              f"{largest['orders']:,} orders and {largest['bytes'] / 1e6:.0f} MB, each taking "
              f"{statistics.median(durations):.1f} s (median).")
    print(f"\np99 with snapshots / p99 quiet: {med('snapshots', 'p99') / med('quiet', 'p99'):.2f}")


if __name__ == "__main__":
    main()
