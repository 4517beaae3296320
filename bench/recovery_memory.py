#!/usr/bin/env python3
"""Peak memory of recovery against the memory of the state it recovers.

One orderd fills a data directory with --orders completed orders
(POST /orders/populate, --fsync never, no snapshots on the way) and is
killed with SIGKILL, leaving a journal of several GiB. Then, for --rounds
rounds, each binary given recovers that directory twice:

  journal   from the journal alone;
  snapshot  from a snapshot of the same state (written once, at the end of
            the journal rounds, by a clean shutdown with --snapshot-on-exit),
            which is as large as the state.

For each recovery the report gives the peak RSS (VmHWM) when orderd is
ready, the RSS then (VmRSS: the recovered state) and the difference: what
reading the files cost on top of the state. Binaries alternate in every
round, so that a change of the machine's speed hits both alike.

    bench/recovery_memory.py --orderd build/release/app/orderd --orders 4000000
    bench/recovery_memory.py --orderd old/orderd --orderd build/release/app/orderd

Loopback only; every orderd started is stopped on every exit path.
"""

import argparse
import os
import shutil
import signal
import statistics
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from ab_create import start_orderd, stop  # noqa: E402
from snapshot_latency import fill  # noqa: E402

QUIET_FLAGS = ["--fsync", "never", "--snapshot-interval", "0", "--snapshot-journal-mib", "0"]


def mib(kib):
    return kib / 1024.0


def proc_status(pid):
    """VmHWM and VmRSS of `pid`, in KiB."""
    fields = {}
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key in ("VmHWM", "VmRSS"):
                fields[key] = int(value.split()[0])
    return fields["VmHWM"], fields["VmRSS"]


def files_size(data_dir, suffix):
    return sum(os.path.getsize(os.path.join(data_dir, name))
               for name in os.listdir(data_dir) if name.endswith(suffix))


def kill_hard(proc):
    if proc.poll() is None:
        proc.send_signal(signal.SIGKILL)
        proc.wait()


def recover_once(binary, data_dir, threads):
    """Starts `binary` on `data_dir`; returns (peak KiB, RSS KiB, seconds to ready)."""
    start = time.monotonic()
    proc, _ = start_orderd(binary, QUIET_FLAGS, data_dir, threads)
    try:
        ready = time.monotonic() - start
        peak, rss = proc_status(proc.pid)
        return peak, rss, ready
    finally:
        kill_hard(proc)


def run_rounds(binaries, data_dir, rounds, threads, kind, results):
    for r in range(rounds):
        for binary in binaries:
            peak, rss, ready = recover_once(binary, data_dir, threads)
            results.setdefault((kind, binary), []).append((peak, rss, ready))
            print(f"round {r + 1} {kind:8} {binary}: peak {mib(peak):.0f} MiB, "
                  f"state {mib(rss):.0f} MiB, over {mib(peak - rss):.0f} MiB, "
                  f"ready in {ready:.1f} s", flush=True)


def report(results, sizes):
    print()
    print(f"journal {sizes['journal'] / 2**20:.0f} MiB, snapshot {sizes['snapshot'] / 2**20:.0f} MiB")
    print("| recovery from | binary | peak RSS | RSS when ready | peak over it | ready |")
    print("| --- | --- | ---: | ---: | ---: | ---: |")
    for (kind, binary), runs in results.items():
        peak = statistics.median(p for p, _, _ in runs)
        rss = statistics.median(s for _, s, _ in runs)
        over = statistics.median(p - s for p, s, _ in runs)
        ready = statistics.median(t for _, _, t in runs)
        print(f"| {kind} | {binary} | {mib(peak):.0f} MiB | {mib(rss):.0f} MiB | "
              f"{mib(over):.0f} MiB | {ready:.1f} s |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--orderd", action="append", required=True,
                        help="an orderd binary (give two to compare them)")
    parser.add_argument("--orders", type=int, default=4_000_000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    args = parser.parse_args()
    work = tempfile.mkdtemp(prefix="orderd-recovery-memory-")
    data_dir = os.path.join(work, "data")
    results = {}
    try:
        proc, url = start_orderd(args.orderd[-1], QUIET_FLAGS, data_dir, args.threads)
        try:
            held = fill(url, args.orders)
            print(f"populated {held} orders", flush=True)
        finally:
            kill_hard(proc)
        sizes = {"journal": files_size(data_dir, ".log")}
        run_rounds(args.orderd, data_dir, args.rounds, args.threads, "journal", results)

        # Unthrottled, and waited for: at several GiB the snapshot takes
        # longer than stop()'s 30 s at the default pace.
        proc, _ = start_orderd(args.orderd[-1], QUIET_FLAGS + [
            "--snapshot-on-exit", "--snapshot-mib-per-second", "0"], data_dir, args.threads)
        proc.terminate()
        try:
            proc.wait(timeout=600)
        finally:
            stop(proc)
        sizes["snapshot"] = files_size(data_dir, ".snap")
        if sizes["snapshot"] == 0:
            raise RuntimeError("no snapshot was written at shutdown")
        run_rounds(args.orderd, data_dir, args.rounds, args.threads, "snapshot", results)
        report(results, sizes)
    finally:
        if args.keep:
            print(f"data kept in {data_dir}")
        else:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
