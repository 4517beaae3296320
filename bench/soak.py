#!/usr/bin/env python3
"""Soak: hours of mixed traffic with restarts, every invariant checked.

The crash loop (tests/persistence/crash_loop_test.py) with minutes-long
cycles instead of seconds: client threads create orders, restock and create
products, register customers, place managed orders and move them through
Shipped, Delivered, Returned and Cancelled (a third under Idempotency-Key),
populate batches and ask for snapshots now and then (or snapshots run on a
timer). Each cycle ends in a restart: SIGTERM every third cycle (exit status
0, a snapshot), SIGKILL otherwise, sometimes with a torn journal tail or a
second kill while recovering. After every start the crash loop's checks
hold (every acknowledged order, move, customer and keyed reply; stock
conservation; counts by status against the id listing), and so do these:

- read models against the engine: the all-time status breakdown of
  GET /api/v1/analytics/orders/status and the `total` of GET /api/v1/orders
  for each status equal the counts of the id listing;
- descriptors: at the end of a cycle's load orderd holds at most those it
  held after its start plus one per client connection and a margin (a
  leak of one per request, snapshot or populate would pass it in seconds);
- memory: orderd's RSS at the end of a cycle exceeds that of the next
  start, which recovered the same data, by at most --rss-slack-mib plus a
  quarter (what traffic holds in buffers; a leak per request grows with
  the cycle instead).

A table of every cycle (orders held, RSS and RSS per order after the start,
RSS and descriptors over the load) ends the run.

    bench/soak.sh --orderd build/release/app/orderd               # 1 hour
    bench/soak.sh --orderd build/release/app/orderd --duration 60 --cycle-seconds 15

Loopback only; orderd is stopped on every exit path. Exit status 0 on
success, 1 on a failure (with the seed that replays the scenario).
"""

import argparse
import math
import os
import random
import signal
import sys
import time
import urllib.parse

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "tests",
                                "persistence"))
import crash_loop_test as crash_loop  # noqa: E402
from crash_loop_test import Client, CrashLoop, Failure, check  # noqa: E402

SAMPLE_SECONDS = 5  # between RSS and descriptor samples during the load
FD_MARGIN = 16  # descriptors beyond the clients' that a start may add (segments, snapshots)


def proc_figures(pid):
    """(RSS in KiB, open descriptors) of `pid`."""
    rss = 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                rss = int(line.split()[1])
    return rss, len(os.listdir(f"/proc/{pid}/fd"))


def mib(kib):
    return kib / 1024.0


class Soak(CrashLoop):
    def __init__(self, args):
        super().__init__(args)
        # Snapshots every half minute or so, not back to back: over minutes
        # the crash loop's pace would rewrite a large state without pause.
        self.snapshot_timer_ms = (20_000, 60_000)
        self.snapshot_pause = (15.0, 45.0)
        self.deadline = time.monotonic() + args.duration
        self.rows = []  # one per cycle, see report()
        self.current = None  # the row of the running process
        self.previous_end_rss = None

    # --- The cycle ------------------------------------------------------------------

    def load_seconds(self):
        jitter = self.rng.uniform(0.8, 1.2)
        left = self.deadline - time.monotonic()
        return max(1.0, min(self.args.cycle_seconds * jitter, left))

    def while_loading(self, server, seconds, stop):
        end = time.monotonic() + seconds
        while True:
            left = end - time.monotonic()
            if left <= 0:
                return False
            if stop.wait(min(SAMPLE_SECONDS, left)):
                return True
            if server.alive():
                rss, fds = proc_figures(server.proc.pid)
                row = self.current
                row["peak_rss"] = max(row["peak_rss"], rss)
                row["peak_fds"] = max(row["peak_fds"], fds)

    def end_load(self, server, cycle):
        row = self.current
        rss, fds = proc_figures(server.proc.pid)
        row["end_rss"], row["end_fds"] = rss, fds
        row["peak_rss"] = max(row["peak_rss"], rss)
        row["peak_fds"] = max(row["peak_fds"], fds)
        self.previous_end_rss = rss
        limit = row["start_fds"] + self.connections() + FD_MARGIN
        check(row["peak_fds"] <= limit,
              f"cycle {cycle}: orderd held {row['peak_fds']} descriptors during the load, "
              f"{row['start_fds']} after its start (limit {limit}): a descriptor leak")
        if cycle % 3 == 0:
            self.stop_kind = "SIGTERM"
            status = server.terminate()
            check(status == 0, f"cycle {cycle}: SIGTERM: exit status {status}")
            server.kill()
        else:
            self.stop_kind = "SIGKILL"
            server.kill()
        row["stop"] = self.stop_kind

    def connections(self):
        # Each client thread, the restock, shop, populate and snapshot
        # threads and the checker keep one connection each.
        return self.args.clients + 5

    # --- Checks after every start ------------------------------------------------------

    def verify(self, label):
        listed, products = super().verify(label)
        try:
            self.check_read_models(listed)
        except Failure as e:
            raise Failure(f"{label}: {e}") from None
        rss, fds = proc_figures(self.server.proc.pid)
        if self.previous_end_rss is not None:
            slack = self.args.rss_slack_mib * 1024 + rss // 4
            check(self.previous_end_rss <= rss + slack,
                  f"{label}: the last process ended at {mib(self.previous_end_rss):.0f} MiB RSS, "
                  f"this start holds the same data in {mib(rss):.0f} MiB (limit "
                  f"{mib(rss + slack):.0f} MiB): memory grew beyond the data")
            self.previous_end_rss = None
        self.current = {"label": label, "orders": len(listed), "start_rss": rss,
                        "start_fds": fds, "peak_rss": rss, "peak_fds": fds, "end_rss": None,
                        "end_fds": None, "stop": "-"}
        self.rows.append(self.current)
        return listed, products

    def check_read_models(self, listed):
        counts = {}
        for status in listed.values():
            counts[status.lower()] = counts.get(status.lower(), 0) + 1
        client = Client(self.server.port)
        try:
            code, body = client.call("GET", "/api/v1/analytics/orders/status")
            check(code == 200, f"GET /api/v1/analytics/orders/status answered {code} {body!r}")
            check(body["total_orders"] == len(listed),
                  f"analytics: total_orders {body['total_orders']}, {len(listed)} orders listed")
            breakdown = {entry["status"]: entry["count"] for entry in body["status_breakdown"]}
            for status in crash_loop.STATUSES:
                key = status.lower()
                check(breakdown.get(key, 0) == counts.get(key, 0),
                      f"analytics: {breakdown.get(key, 0)} {key} orders, the id listing "
                      f"{counts.get(key, 0)}")
                path = f"/api/v1/orders?status={urllib.parse.quote(key)}&page_size=1"
                code, page = client.call("GET", path)
                check(code == 200, f"GET {path} answered {code} {page!r}")
                check(page["total"] == counts.get(key, 0),
                      f"GET {path}: total {page['total']}, the id listing {counts.get(key, 0)}")
        finally:
            client.close()

    # --- Report ------------------------------------------------------------------------

    def report(self):
        print()
        print("| start | orders | RSS after start | per order | peak RSS in load | "
              "RSS at the end | descriptors: start, peak, end | stop |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | --- | --- |")
        for row in self.rows:
            per_order = (row["start_rss"] * 1024 / row["orders"]) if row["orders"] else 0
            end_rss = f"{mib(row['end_rss']):.0f} MiB" if row["end_rss"] is not None else "-"
            end_fds = row["end_fds"] if row["end_fds"] is not None else "-"
            print(f"| {row['label']} | {row['orders']:,} | {mib(row['start_rss']):.0f} MiB | "
                  f"{per_order:.0f} B | {mib(row['peak_rss']):.0f} MiB | {end_rss} | "
                  f"{row['start_fds']}, {row['peak_fds']}, {end_fds} | {row['stop']} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orderd", required=True, help="the orderd binary")
    parser.add_argument("--duration", type=float, default=3600,
                        help="seconds of load in all (default 3600)")
    parser.add_argument("--cycle-seconds", type=float, default=240,
                        help="seconds of load between restarts (default 240)")
    parser.add_argument("--clients", type=int, default=4, help="order client threads (default 4)")
    parser.add_argument("--fsync", default="always", help="orderd --fsync policy")
    parser.add_argument("--rss-slack-mib", type=int, default=128,
                        help="RSS a running orderd may hold beyond a fresh start's (plus 25%%)")
    parser.add_argument("--seed", type=int, default=None, help="replays a scenario")
    parser.add_argument("--keep-data", action="store_true")
    args = parser.parse_args()
    if args.seed is None:
        args.seed = random.SystemRandom().randrange(2**32)
    if args.duration <= 0 or args.cycle_seconds <= 0 or args.clients < 1:
        parser.error("--duration, --cycle-seconds and --clients must be positive")
    args.orderd = os.path.abspath(args.orderd)
    args.cycles = max(1, math.ceil(args.duration / args.cycle_seconds))
    args.scale_divisor = 1
    args.orderd_arg = []
    print(f"seed={args.seed}: {args.cycles} cycles of about {args.cycle_seconds:.0f} s",
          flush=True)
    soak = Soak(args)
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    try:
        elapsed = soak.run()
        soak.report()
    except Failure as e:
        print(f"FAIL seed={args.seed}: {e}", flush=True)
        tail = soak.log_tail()
        if tail:
            print(f"--- orderd log (last lines) ---\n{tail}\n---", flush=True)
        soak.report()
        return 1
    finally:
        soak.close()
    print(f"PASS seed={args.seed}: {args.cycles} cycles, {elapsed:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
