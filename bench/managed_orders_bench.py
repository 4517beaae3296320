#!/usr/bin/env python3
"""Managed-order throughput over HTTP, side by side with seed 004's create.

Every round starts a fresh orderd (fresh data directory, demo catalog) per
scenario and runs one wrk load against it, rotating the scenarios' order:
  plain-<policy>    POST /orders/ (seed 004), bench/wrk_create_orders.lua
  managed-<policy>  POST /api/v1/orders/ (seed 003's order), bench/wrk_managed_orders.lua
  status-<policy>   PUT /api/orders/{seq} {"status":"Shipped"} on orders made
                    Completed by /orders/populate first, bench/wrk_status_updates.lua
for each --fsync policy given. Reports medians (min-max) and each scenario's
ratio to plain-<policy> by medians.

    bench/managed_orders_bench.py --rounds 5 --duration 4s --policies always,never

Loopback only; every process started is stopped, also on errors.
"""
import argparse, json, os, re, shutil, statistics, subprocess, sys, tempfile, time, urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))


def start(binary, data_dir, policy):
    proc = subprocess.Popen([binary, "--port", "0", "--data-dir", data_dir, "--threads", "1",
                             "--fsync", policy], stdout=subprocess.PIPE,
                            stderr=subprocess.DEVNULL, text=True)
    m = re.search(r"listening on (http://\S+)", proc.stdout.readline())
    if not m:
        proc.kill()
        raise RuntimeError("orderd did not start")
    url = m.group(1)
    for _ in range(600):
        try:
            with urllib.request.urlopen(url + "/health/ready", timeout=2) as r:
                if r.status == 200:
                    return proc, url
        except OSError:
            time.sleep(0.05)
    proc.kill()
    raise RuntimeError("orderd not ready")


def post(url, path, body):
    req = urllib.request.Request(url + path, data=json.dumps(body).encode(), method="POST",
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=300) as r:
        return json.loads(r.read())


def completed(url):
    with urllib.request.urlopen(url + "/orders/metrics", timeout=10) as r:
        m = json.loads(r.read())
    return m["completed"]["count"]


def wrk(url, script, args, duration, connections):
    out = subprocess.run(["wrk", "-t2", f"-c{connections}", f"-d{duration}", "--latency",
                          "-s", os.path.join(HERE, script), url, "--"] + args,
                         capture_output=True, text=True, timeout=600, check=True).stdout
    m = re.search(r"RESULT requests=(\d+) seconds=\S+ rps=(\S+) p50_us=(\d+) p90_us=\d+ "
                  r"p99_us=(\d+) max_us=\d+ non2xx=(\d+)", out)
    return {"rps": float(m.group(2)), "p50": int(m.group(3)) / 1000,
            "p99": int(m.group(4)) / 1000, "non2xx": int(m.group(5))}


def run(binary, scenario, policy, work, args):
    data = os.path.join(work, "data")
    shutil.rmtree(data, ignore_errors=True)
    proc, url = start(binary, data, policy)
    try:
        if scenario == "plain":
            return wrk(url, "wrk_create_orders.lua", [str(time.time_ns())], args.duration,
                       args.connections)
        if scenario == "managed":
            return wrk(url, "wrk_managed_orders.lua", [], args.duration, args.connections)
        post(url, "/orders/populate", {"total_entries": args.status_orders, "batch_id": "s"})
        deadline = time.monotonic() + 120
        while completed(url) < args.status_orders and time.monotonic() < deadline:
            time.sleep(0.2)
        return wrk(url, "wrk_status_updates.lua", ["2"], args.status_duration, args.connections)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--orderd", default="build/release/app/orderd")
    ap.add_argument("--rounds", type=int, default=5)
    ap.add_argument("--duration", default="4s")
    ap.add_argument("--status-duration", default="3s")
    ap.add_argument("--status-orders", type=int, default=400_000,
                    help="orders populated for the status scenario (more than it can move)")
    ap.add_argument("--connections", type=int, default=64)
    ap.add_argument("--policies", default="always,never")
    a = ap.parse_args()
    scenarios = [(s, p) for p in a.policies.split(",") for s in ("plain", "managed", "status")]
    results = {k: [] for k in scenarios}
    work = tempfile.mkdtemp(prefix="managed-bench-")
    try:
        for r in range(a.rounds):
            order = scenarios[r % len(scenarios):] + scenarios[:r % len(scenarios)]
            for s, p in order:
                res = run(a.orderd, s, p, work, a)
                results[(s, p)].append(res)
                print(f"round {r + 1} {s}-{p}: {res['rps']:.0f} req/s p99 {res['p99']:.2f} ms"
                      f" non2xx {res['non2xx']}", file=sys.stderr)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"wrk -t2 -c{a.connections}, orderd --threads 1, {a.rounds} rotating rounds\n")
    print("| scenario | fsync | req/s median (min–max) | vs plain create (medians) | p50 ms | p99 ms |")
    print("| --- | --- | --- | --- | --- | --- |")
    for s, p in scenarios:
        rps = [x["rps"] for x in results[(s, p)]]
        base = statistics.median(x["rps"] for x in results[("plain", p)])
        print(f"| {s} | {p} | {statistics.median(rps):,.0f} ({min(rps):,.0f}–{max(rps):,.0f}) | "
              f"{statistics.median(rps) / base:.1%} | "
              f"{statistics.median(x['p50'] for x in results[(s, p)]):.2f} | "
              f"{statistics.median(x['p99'] for x in results[(s, p)]):.2f} |")
        if any(x["non2xx"] for x in results[(s, p)]):
            print(f"  ({s}-{p} had non-2xx answers)")


main()
