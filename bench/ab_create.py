#!/usr/bin/env python3
"""Create throughput of several orderd variants, measured side by side.

Each variant is a binary plus flags. Every round runs every variant once
(a fresh orderd on a fresh data directory, then one closed-loop orderload
create run), rotating the order from round to round so that a drifting CPU
clock or disk hits all variants alike. The report gives medians (with min and
max) per variant and the ratio of each median to the first variant's. After
each run /metrics is scraped for the journal's records per fsync and fsync
latency, when the variant journals.

    bench/ab_create.py --variant always=build/release/app/orderd:--fsync=always \\
                       --variant never=build/release/app/orderd:--fsync=never

Loopback only; every process started is stopped, also on errors.
"""

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request


def parse_variant(text):
    name, _, rest = text.partition("=")
    binary, _, flags = rest.partition(":")
    if not name or not binary:
        raise argparse.ArgumentTypeError(f"expected NAME=BINARY[:FLAGS], got {text!r}")
    return name, binary, flags.split() if flags else []


def start_orderd(binary, flags, data_dir, threads):
    # A negative count leaves --threads to the variant's flags.
    thread_flags = ["--threads", str(threads)] if threads >= 0 else []
    proc = subprocess.Popen([binary, "--port", "0", "--data-dir", data_dir] + thread_flags + flags,
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    line = proc.stdout.readline()
    match = re.search(r"listening on (http://\S+)", line)
    if not match:
        proc.kill()
        raise RuntimeError(f"{binary} did not start: {line!r}")
    url = match.group(1)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/health/ready", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            pass
        time.sleep(0.05)
    proc.kill()
    raise RuntimeError(f"{binary} not ready within 60 s")


def stop(proc):
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def scrape(url):
    """{(name, labels): value} from a Prometheus text page."""
    with urllib.request.urlopen(url + "/metrics", timeout=10) as r:
        text = r.read().decode()
    samples = {}
    for line in text.splitlines():
        if not line or line.startswith("#"):
            continue
        m = re.match(r"([a-zA-Z_:][a-zA-Z0-9_:]*)(\{[^}]*\})? (\S+)", line)
        if m:
            samples[(m.group(1), m.group(2) or "")] = float(m.group(3))
    return samples


def histogram_quantile(samples, name, q):
    """The upper bound of the bucket holding quantile q (Prometheus's le)."""
    buckets = sorted((float(re.search(r'le="([^"]+)"', labels).group(1)), v)
                     for (n, labels), v in samples.items() if n == name + "_bucket")
    if not buckets or buckets[-1][1] == 0:
        return None
    target = q * buckets[-1][1]
    for le, cumulative in buckets:
        if cumulative >= target:
            return le
    return None


def journal_figures(before, after):
    """Records per fsync and fsync latency over one run (differences)."""
    def delta(name):
        return after.get((name, ""), 0) - before.get((name, ""), 0)
    fsyncs = delta("orderd_journal_fsyncs_total")
    # Under --fsync=never the only syncs are at segment creation: too few
    # to describe anything.
    if fsyncs < 10:
        return {}
    figures = {"records_per_fsync": delta("orderd_journal_records_total") / fsyncs,
               "fsync_mean_ms": 1000 * delta("orderd_journal_fsync_duration_seconds_sum") / fsyncs}
    # Quantiles over the run only: subtract the buckets seen before it.
    run = {k: v - before.get(k, 0) for k, v in after.items()}
    p99 = histogram_quantile(run, "orderd_journal_fsync_duration_seconds", 0.99)
    if p99 is not None:
        figures["fsync_p99_le_ms"] = 1000 * p99
    return figures


def run_once(args, binary, flags, work):
    data_dir = os.path.join(work, "data")
    shutil.rmtree(data_dir, ignore_errors=True)
    proc, url = start_orderd(binary, flags, data_dir, args.server_threads)
    try:
        before = scrape(url)
        result_file = os.path.join(work, "result.json")
        subprocess.run([args.orderload, "--url", url, "-c", str(args.connections),
                        "-t", str(args.load_threads), "--duration", args.duration,
                        "--warmup", args.warmup, "--no-progress", "--json", result_file]
                       + (["--authorization", args.authorization] if args.authorization else []),
                       check=True, stdout=subprocess.DEVNULL, timeout=600)
        after = scrape(url)
    finally:
        stop(proc)
    with open(result_file) as f:
        result = json.load(f)
    figures = {"rate": result["achieved_rate"], "p50_ms": result["latency_us"]["p50"] / 1000,
               "p99_ms": result["latency_us"]["p99"] / 1000, "errors": result["errors"]["total"]}
    # orderd's own CPU time per created order over the run (warm-up included
    # on both sides of the division, so the ratio holds).
    cpu = after.get(("process_cpu_seconds_total", ""), 0) - before.get(
        ("process_cpu_seconds_total", ""), 0)
    requests = after.get(("orderd_orders_accepted_total", ""), 0) - before.get(
        ("orderd_orders_accepted_total", ""), 0)
    if cpu > 0 and requests > 0:
        figures["cpu_us_per_request"] = 1e6 * cpu / requests
    figures.update(journal_figures(before, after))
    return figures


def run_alternating(rounds, names, run, describe):
    """{name: [figures per round]}: each round runs every name once, the
    order rotating from round to round, and reports each run on stderr."""
    runs = {name: [] for name in names}
    for round_index in range(rounds):
        shift = round_index % len(names)
        for name in names[shift:] + names[:shift]:
            figures = run(name)
            runs[name].append(figures)
            print(f"round {round_index + 1} {name:>10}: {describe(figures)}", file=sys.stderr)
    return runs


def summary(values):
    return statistics.median(values), min(values), max(values)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--variant", action="append", type=parse_variant, required=True,
                        help="NAME=BINARY[:FLAGS]; the first is the baseline of the ratios")
    parser.add_argument("--orderload", default="build/release/loadgen/orderload")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--authorization", default="",
                        help="Authorization header orderload sends to every variant alike "
                             "(\"Bearer <token>\" for variants with --auth jwt; give those "
                             "--metrics-open so that /metrics can be scraped)")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--load-threads", type=int, default=1)
    parser.add_argument("--server-threads", type=int, default=1,
                        help="orderd --threads for every variant; negative: as the variant's "
                             "flags say")
    parser.add_argument("--duration", default="5s")
    parser.add_argument("--warmup", default="1s")
    args = parser.parse_args()
    if args.rounds < 5:
        parser.error("--rounds must be at least 5 (medians of alternating runs)")

    variants = {name: (binary, flags) for name, binary, flags in args.variant}
    work = tempfile.mkdtemp(prefix="orderd-ab-")
    try:
        runs = run_alternating(
            args.rounds, list(variants), lambda name: run_once(args, *variants[name], work),
            lambda f: f"{f['rate']:9.0f} req/s, p99 {f['p99_ms']:.2f} ms, errors {f['errors']}")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    baseline = statistics.median(f["rate"] for f in runs[args.variant[0][0]])
    print(f"create, closed loop, {args.connections} connections, orderload -t "
          f"{args.load_threads}, orderd --threads {args.server_threads}; {args.duration} "
          f"measured after {args.warmup} warm-up; {args.rounds} alternating rounds\n")
    base_name = args.variant[0][0]
    print("| variant | flags | req/s median (min–max) | vs " + base_name +
          " (medians) | vs " + base_name + " (median of per-round ratios) "
          "| p50 ms | p99 ms | orderd CPU µs per request | records per fsync | fsync mean ms "
          "| fsync p99 ≤ ms |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for name, _, flags in args.variant:
        r = runs[name]
        median, low, high = summary([f["rate"] for f in r])
        journal = [f for f in r if "records_per_fsync" in f]

        def med(key, fmt, rows=r):
            values = [f[key] for f in rows if key in f]
            return fmt % statistics.median(values) if values else "–"
        # Runs of one round are seconds apart, so they share the CPU's speed
        # level more often than runs of different rounds do.
        paired = statistics.median(f["rate"] / b["rate"] for f, b in zip(r, runs[base_name]))
        print(f"| {name} | `{' '.join(flags)}` | {median:,.0f} ({low:,.0f}–{high:,.0f}) | "
              f"{100 * median / baseline:.1f}% | {100 * paired:.1f}% | "
              f"{med('p50_ms', '%.2f')} | {med('p99_ms', '%.2f')} | "
              f"{med('cpu_us_per_request', '%.1f')} | "
              f"{med('records_per_fsync', '%.1f', journal)} | {med('fsync_mean_ms', '%.2f', journal)} | "
              f"{med('fsync_p99_le_ms', '%.2f', journal)} |")
    errors = sum(f["errors"] for r in runs.values() for f in r)
    if errors:
        print(f"\n{errors} requests failed across all runs.")


if __name__ == "__main__":
    main()
