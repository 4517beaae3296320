#!/usr/bin/env python3
"""orderd's create beside Redis doing an order create in a server-side function.

The peer a shop would otherwise build on: Redis 7 (Debian's redis-server)
with the append-only file synced before every reply (`appendfsync always`,
its durable setting) and a function, `place_order`, that does in one atomic
call what orderd's create does: check that every item is in stock, take the
units, assign an order id, store the order (a hash: status, items, user,
total, time) and queue it for processing. redis-benchmark drives it with
three random products of 1,000 per call; orderload drives orderd's
`POST /orders/` with three items per order. Both clients are single
threads on the same cores, with the same number of connections and one
request in flight on each.

Every round runs both once, on fresh data directories, the order flipping
from round to round so that a drifting CPU clock hits both alike; the
report gives medians and the ratio of orderd's to Redis's, also as the
median of per-round ratios.

    bench/redis_vs_orderd.py --orderd build/release/app/orderd [--rounds 5]
        [--orderd-flags "--fsync=always"] [--redis-appendfsync always]

Loopback only; every process started is stopped, also on errors.
"""

import argparse
import csv
import io
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import types

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import ab_create  # noqa: E402

PRODUCTS = 1000
ITEMS_PER_ORDER = 3

# Stock is kept per product under stock:<id>; a product listed twice needs
# two units. Nothing is written unless every item is covered.
PLACE_ORDER = r"""#!lua name=orderd_bench
local function place_order(keys, args)
  local user, total = args[1], args[2]
  local wanted = {}
  for i = 3, #args do
    local key = 'stock:' .. tonumber(args[i])
    wanted[key] = (wanted[key] or 0) + 1
  end
  for key, units in pairs(wanted) do
    local available = tonumber(redis.call('GET', key))
    if available == nil then return redis.error_reply('unknown product ' .. key) end
    if available < units then return redis.error_reply('insufficient stock for ' .. key) end
  end
  for key, units in pairs(wanted) do redis.call('DECRBY', key, units) end
  local id = redis.call('INCR', 'order:next_id')
  local now = redis.call('TIME')
  redis.call('HSET', 'order:' .. id, 'status', 'Pending', 'user_id', user,
             'total_amount', total, 'items', table.concat(args, ',', 3),
             'created_at', now[1] .. string.format('%06d', now[2]))
  redis.call('RPUSH', 'orders:pending', id)
  return id
end
redis.register_function('place_order', place_order)
"""


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def redis_cli(port, *args, stdin=None, check=True):
    return subprocess.run(["redis-cli", "-h", "127.0.0.1", "-p", str(port)] + list(args),
                          input=stdin, capture_output=True, text=True, check=check,
                          timeout=60).stdout


def start_redis(data_dir, appendfsync):
    os.makedirs(data_dir, exist_ok=True)
    port = free_port()
    proc = subprocess.Popen(["redis-server", "--bind", "127.0.0.1", "--port", str(port),
                             "--dir", data_dir, "--save", "", "--appendonly", "yes",
                             "--appendfsync", appendfsync, "--protected-mode", "yes",
                             "--daemonize", "no", "--logfile", ""],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if redis_cli(port, "PING").strip() == "PONG":
                return proc, port
        except subprocess.CalledProcessError:
            pass
        time.sleep(0.05)
    ab_create.stop(proc)
    raise RuntimeError("redis-server did not answer PING within 30 s")


def prepare_redis(port):
    redis_cli(port, "-x", "FUNCTION", "LOAD", "REPLACE", stdin=PLACE_ORDER)
    # As much stock as no run can use up, so every call takes the full path.
    args = []
    for product in range(PRODUCTS):
        args += [f"stock:{product}", "1000000000"]
    redis_cli(port, "MSET", *args)
    # One call by hand: the function must accept an order and refuse an
    # unknown product, or the benchmark would time error replies.
    if not redis_cli(port, "FCALL", "place_order", "0", "7", "300", "1", "2", "2").strip():
        raise RuntimeError("place_order returned nothing")
    refused = redis_cli(port, "FCALL", "place_order", "0", "7", "100", str(PRODUCTS + 5),
                        check=False)
    if "unknown product" not in refused:
        raise RuntimeError(f"place_order accepted an unknown product: {refused!r}")


def run_redis(args, work):
    data_dir = os.path.join(work, "redis")
    shutil.rmtree(data_dir, ignore_errors=True)
    proc, port = start_redis(data_dir, args.redis_appendfsync)
    try:
        prepare_redis(port)
        # __rand_int__ becomes a random 12-digit number below -r, one draw per
        # placeholder: a user, a total and three products.
        command = ["FCALL", "place_order", "0", "__rand_int__", "__rand_int__"] + \
            ["__rand_int__"] * ITEMS_PER_ORDER
        out = subprocess.run(["redis-benchmark", "-h", "127.0.0.1", "-p", str(port),
                              "-c", str(args.connections), "-P", "1", "-n",
                              str(args.redis_requests), "-r", str(PRODUCTS), "--csv"] + command,
                             capture_output=True, text=True, check=True, timeout=600).stdout
        orders = int(redis_cli(port, "GET", "order:next_id").strip() or 0)
    finally:
        ab_create.stop(proc)
    rows = list(csv.DictReader(io.StringIO(out)))
    if not rows:
        raise RuntimeError(f"redis-benchmark printed no result: {out!r}")
    row = rows[-1]
    # Error replies would be counted as requests by redis-benchmark: the
    # orders stored must match (the hand-made one included).
    if orders < args.redis_requests + 1:
        raise RuntimeError(f"only {orders} of {args.redis_requests} calls stored an order")
    return {"rate": float(row["rps"]), "p50_ms": float(row["p50_latency_ms"]),
            "p99_ms": float(row["p99_latency_ms"])}


def run_orderd(args, work):
    ab_args = types.SimpleNamespace(orderload=args.orderload, connections=args.connections,
                                    load_threads=1, duration=args.duration, warmup=args.warmup,
                                    authorization="", server_threads=-1)
    return ab_create.run_once(ab_args, args.orderd, args.orderd_flags.split(), work)


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--orderd", default="build/release/app/orderd")
    parser.add_argument("--orderd-flags", default="",
                        help="orderd's flags (default none: --fsync always, the default)")
    parser.add_argument("--orderload", default="build/release/loadgen/orderload")
    parser.add_argument("--redis-appendfsync", default="always",
                        choices=["always", "everysec", "no"])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--duration", default="5s", help="orderd's measured time per run")
    parser.add_argument("--warmup", default="1s", help="orderd's warm-up per run")
    parser.add_argument("--redis-requests", type=int, default=150_000,
                        help="calls per Redis run (redis-benchmark counts calls, not time)")
    args = parser.parse_args()
    if args.rounds < 1:
        parser.error("--rounds must be at least 1")
    if shutil.which("redis-server") is None or shutil.which("redis-benchmark") is None:
        parser.error("redis-server and redis-benchmark are needed (Debian: redis-server)")

    work = tempfile.mkdtemp(prefix="orderd-redis-")
    try:
        runs = ab_create.run_alternating(
            args.rounds, ["orderd", "redis"],
            lambda name: run_orderd(args, work) if name == "orderd" else run_redis(args, work),
            lambda f: f"{f['rate']:9.0f} req/s, p50 {f['p50_ms']:.2f} ms, "
                      f"p99 {f['p99_ms']:.2f} ms")
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"order create, closed loop, {args.connections} connections, one client thread "
          f"each; {args.rounds} alternating rounds\n")
    print("| server | settings | creates/s median (min–max) | p50 ms | p99 ms |")
    print("| --- | --- | --- | ---: | ---: |")
    settings = {"orderd": f"`{args.orderd_flags or 'defaults (--fsync always)'}`",
                "redis": f"FCALL place_order, appendfsync {args.redis_appendfsync}"}
    for name in ("orderd", "redis"):
        r = runs[name]
        rates = [f["rate"] for f in r]
        print(f"| {name} | {settings[name]} | {statistics.median(rates):,.0f} "
              f"({min(rates):,.0f}–{max(rates):,.0f}) | "
              f"{statistics.median(f['p50_ms'] for f in r):.2f} | "
              f"{statistics.median(f['p99_ms'] for f in r):.2f} |")
    ratio = statistics.median(f["rate"] for f in runs["orderd"]) / \
        statistics.median(f["rate"] for f in runs["redis"])
    paired = statistics.median(o["rate"] / r["rate"] for o, r in zip(runs["orderd"], runs["redis"]))
    print(f"\norderd / Redis: {ratio:.2f}x (medians), {paired:.2f}x (median of per-round ratios)")
    errors = sum(f["errors"] for f in runs["orderd"])
    if errors:
        print(f"\n{errors} orderd requests failed across all runs.")
        sys.exit(1)


if __name__ == "__main__":
    main()
