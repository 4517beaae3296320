#!/usr/bin/env python3
"""Runs persistence_bench several times, alternating the scenarios that are
compared with each other (the machine's speed drifts, so each round runs every
side once, in a rotating order), and prints the median of every counter with
its min and max as markdown tables.

    bench/persistence_report.py build/release/bench/persistence_bench [--runs 5] [--only TEXT]
"""
import argparse
import json
import statistics
import subprocess
import sys
from collections import defaultdict

# Each group is one process per round; groups in one list alternate.
ROUNDS = [
    ["BM_GroupCommit/policy:0/", "BM_GroupCommit/policy:1/", "BM_GroupCommit/policy:2/"],
    ["BM_AppendThroughput/"],
    ["BM_ReplayJournal|BM_RecoverMillionOrders|BM_SnapshotMillionOrders"],
    ["BM_CreateLatencyDuringSnapshot/snapshot_MiBps:0/",
     "BM_CreateLatencyDuringSnapshot/snapshot_MiBps:32/",
     "BM_CreateLatencyDuringSnapshot/snapshot_MiBps:1024/"],
]

COLUMNS = {
    "BM_GroupCommit": ["records_per_s", "records_per_fsync", "fsync_us_p50", "fsync_us_p99",
                       "ack_us_p50", "ack_us_p99"],
    "BM_AppendThroughput": ["records_per_s", "records_per_fsync", "MB_per_s"],
    "BM_ReplayJournal": ["records", "records_per_s", "real_time_ms"],
    "BM_RecoverMillionOrders": ["orders", "real_time_ms", "snapshot_s", "replay_s"],
    "BM_SnapshotMillionOrders": ["orders", "MB", "real_time_ms", "capture_s"],
    "BM_CreateLatencyDuringSnapshot": ["creates_per_s", "create_us_p50", "create_us_p99",
                                       "create_us_p999", "fsync_us_p99_bound", "snapshots"],
}


def run(binary, benchmark_filter):
    out = subprocess.run([binary, f"--benchmark_filter={benchmark_filter}",
                          "--benchmark_format=json"], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)["benchmarks"]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("binary")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", default="",
                        help="run only the scenario groups whose filters contain this text")
    args = parser.parse_args()
    rounds = [group for group in ROUNDS if any(args.only in f for f in group)]

    samples = defaultdict(lambda: defaultdict(list))  # name -> counter -> values
    order = []
    for round_index in range(args.runs):
        for group in rounds:
            shift = round_index % len(group)
            for benchmark_filter in group[shift:] + group[:shift]:
                for b in run(args.binary, benchmark_filter):
                    name = b["name"].replace("/iterations:1/manual_time", "")
                    if name not in samples:
                        order.append(name)
                    b["real_time_ms"] = b["real_time"] if b["time_unit"] == "ms" else None
                    for key, value in b.items():
                        if isinstance(value, (int, float)):
                            samples[name][key].append(float(value))
        print(f"round {round_index + 1} of {args.runs} done", file=sys.stderr)

    def cell(values):
        median = statistics.median(values)
        fmt = (lambda v: f"{v:,.0f}") if median >= 100 else (lambda v: f"{v:.2f}")
        return f"{fmt(median)} ({fmt(min(values))}–{fmt(max(values))})"

    for family, columns in COLUMNS.items():
        names = [n for n in order if n.split("/")[0] == family]
        if not names:
            continue
        print(f"\n{family}, median (min–max) of {args.runs} runs\n")
        print("| scenario | " + " | ".join(columns) + " |")
        print("| --- " * (len(columns) + 1) + "|")
        for name in names:
            scenario = "/".join(name.split("/")[1:]).strip("/") or "—"
            cells = [cell(samples[name][c]) if samples[name].get(c) else "" for c in columns]
            print(f"| {scenario} | " + " | ".join(cells) + " |")


if __name__ == "__main__":
    main()
