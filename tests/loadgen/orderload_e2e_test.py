#!/usr/bin/env python3
"""orderload against the real orderd: short runs of each workload, checking
the JSON result (no errors, counts consistent). Talks to 127.0.0.1 only and
always stops the server it started."""

import argparse
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

PERCENTILES = ["min", "p50", "p90", "p99", "p99.9", "p99.99", "max"]


def start_orderd(binary, data_dir):
    server = subprocess.Popen(
        [binary, "--port", "0", "--data-dir", data_dir, "--threads", "1", "--workers", "1"],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    first_line = []
    reader = threading.Thread(target=lambda: first_line.append(server.stdout.readline()))
    reader.start()
    reader.join(timeout=20)
    line = first_line[0] if first_line else ""
    if "listening on http://" not in line:
        server.kill()
        raise RuntimeError(f"orderd did not start: {line!r}")
    # Keep draining its output so a chatty server never blocks on a full pipe.
    threading.Thread(target=lambda: [None for _ in server.stdout], daemon=True).start()
    url = line.split("listening on ", 1)[1].strip()
    wait_ready(server, url)
    return server, url


def wait_ready(server, url, timeout=30):
    """The server listens before it has recovered its data directory."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/health/ready", timeout=5) as response:
                if response.status == 200:
                    return
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.01)
    server.kill()
    raise RuntimeError(f"orderd not ready after {timeout}s")


def stop(server):
    if server.poll() is None:
        server.send_signal(signal.SIGTERM)
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


def run_orderload(binary, url, json_path, *flags):
    command = [binary, "--url", url, "--json", json_path, "--no-progress", *flags]
    completed = subprocess.run(command, capture_output=True, text=True, timeout=90)
    if completed.returncode != 0:
        raise AssertionError(f"{' '.join(command)} exited {completed.returncode}:\n"
                             f"{completed.stdout}{completed.stderr}")
    with open(json_path) as f:
        return json.load(f)


def check_consistent(result, expected_statuses):
    name = f"{result['config']['workload']} ({result['config']['mode']} loop)"
    requests = result["requests"]
    errors = result["errors"]
    assert errors["total"] == 0, f"{name}: errors {errors}"
    assert requests["failed"] == 0 and requests["unsent"] == 0, f"{name}: {requests}"
    assert requests["sent"] == requests["responses"] == requests["ok"] > 0, f"{name}: {requests}"
    statuses = result["status_codes"]
    assert set(statuses) <= set(expected_statuses), f"{name}: statuses {statuses}"
    assert sum(statuses.values()) == requests["responses"], f"{name}: {statuses} vs {requests}"
    for key in ("latency_us", "latency_uncorrected_us"):
        latency = result[key]
        assert latency["count"] == requests["responses"], f"{name}: {key} {latency}"
        values = [latency[p] for p in PERCENTILES]
        assert values == sorted(values) and values[0] > 0, f"{name}: {key} not ordered: {latency}"
    assert result["achieved_rate"] > 0 and result["duration_s"] > 0, name
    assert result["cpu"]["user_s"] + result["cpu"]["system_s"] >= 0, name


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--orderd", required=True)
    parser.add_argument("--orderload", required=True)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="orderload-e2e-") as temp:
        server, url = start_orderd(args.orderd, os.path.join(temp, "data"))
        try:
            out = lambda name: os.path.join(temp, name)

            created = run_orderload(args.orderload, url, out("create.json"), "--requests", "2000",
                                    "-c", "8", "-t", "2", "--warmup", "0", "--run-id", "e2ea")
            check_consistent(created, {"201"})
            assert created["requests"]["sent"] == 2000, created["requests"]
            assert created["latency_us"] == created["latency_uncorrected_us"]  # closed loop
            # The ids orderload chose are the server's order ids.
            with urllib.request.urlopen(f"{url}/orders/e2ea-0-0", timeout=10) as response:
                assert response.status == 200
                assert json.load(response)["order_id"] == "e2ea-0-0"

            # A second run against the same server must not collide with the first.
            again = run_orderload(args.orderload, url, out("again.json"), "--requests", "500",
                                  "-c", "4", "--warmup", "0", "--zipf", "1.2")
            check_consistent(again, {"201"})

            mixed = run_orderload(args.orderload, url, out("mixed.json"), "--workload", "mixed",
                                  "--mix", "50/50", "--rate", "1000", "--duration", "1s",
                                  "--warmup", "200ms", "-c", "4", "--seed-orders", "200")
            check_consistent(mixed, {"200", "201"})
            assert mixed["requests"]["offered"] == 1000, mixed["requests"]
            assert mixed["requests"]["seeded_orders"] == 200
            # The achieved rate counts the offered requests' answers until the
            # last one, so it never exceeds the offered rate; a loaded machine
            # (sanitizer builds of both programs share two cores here) only
            # stretches the tail, up to the run's own length before this fails.
            assert 500 <= mixed["achieved_rate"] <= 1000, mixed["achieved_rate"]

            populated = run_orderload(args.orderload, url, out("populate.json"), "--workload",
                                      "populate", "--populate-entries", "50", "--requests", "10",
                                      "-c", "2", "--warmup", "0")
            check_consistent(populated, {"201"})
        finally:
            stop(server)
    print("orderload against orderd: 4 runs, all consistent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
