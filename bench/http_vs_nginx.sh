#!/usr/bin/env bash
# orderd's POST /orders/ against nginx answering a fixed ~100-byte JSON body,
# with identical wrk settings and the same wrk script (unique order ids), in
# one run on this machine. Prints a Markdown report.
#
#   bench/http_vs_nginx.sh [path/to/orderd]      (default build/release/app/orderd)
#
# Settings (environment): RUNS (5) alternating A/B rounds per measurement,
# DURATION (10s) per wrk run, CONNECTIONS (64), WRK_THREADS (2),
# SERVER_THREADS (2) for both orderd --threads and nginx worker_processes,
# ORDERD_FLAGS (extra orderd flags), PACE_MS (5).
#
# Throughput: medians of RUNS closed-loop wrk runs each, the two servers
# alternating (the order flips every round) so drifting CPU speed hits both.
# Latency at half load: wrk has no fixed-rate mode (wrk2 is not packaged), so
# each connection pauses PACE_MS after every response, and the number of
# connections is chosen so that together they send about half of orderd's
# median throughput; the report shows the rate actually reached and wrk's p99. Latency is timed per request from its
# write, so a stall shows in the requests it delays but not in the ones it
# keeps from being sent (closed-loop coordinated omission, bounded here by
# the pause being long against the latencies measured).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/nginx_config.sh

ORDERD=${1:-build/release/app/orderd}
RUNS=${RUNS:-5}
DURATION=${DURATION:-10s}
CONNECTIONS=${CONNECTIONS:-64}
WRK_THREADS=${WRK_THREADS:-2}
SERVER_THREADS=${SERVER_THREADS:-2}
ORDERD_FLAGS=${ORDERD_FLAGS:-}
PACE_MS=${PACE_MS:-5}
SCRIPT=bench/wrk_create_orders.lua

for tool in wrk nginx python3 curl; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (see ./dev deps)" >&2; exit 1; }
done
[ -x "$ORDERD" ] || { echo "no orderd binary at $ORDERD (./dev build)" >&2; exit 1; }

work=$(mktemp -d)
orderd_pid=""
nginx_pid=""
cleanup() {
  [ -n "$orderd_pid" ] && kill "$orderd_pid" 2>/dev/null && wait "$orderd_pid" 2>/dev/null
  [ -n "$nginx_pid" ] && kill "$nginx_pid" 2>/dev/null && wait "$nginx_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# --- orderd ------------------------------------------------------------------
# shellcheck disable=SC2086
"$ORDERD" --port 0 --data-dir "$work/data" --threads "$SERVER_THREADS" $ORDERD_FLAGS \
  >"$work/orderd.out" 2>"$work/orderd.err" &
orderd_pid=$!
for _ in $(seq 100); do
  grep -q "listening" "$work/orderd.out" 2>/dev/null && break
  sleep 0.1
done
orderd_url=$(sed -n 's/^orderd listening on //p' "$work/orderd.out")
[ -n "$orderd_url" ] || { echo "orderd did not start:" >&2; cat "$work/orderd.err" >&2; exit 1; }
for _ in $(seq 100); do  # it listens before it has recovered its data directory
  curl -sf -o /dev/null "$orderd_url/health/ready" && break
  sleep 0.1
done

# --- nginx: its own configuration and files under $work -----------------------
nginx_port=$(free_port)
body='{"message":"Order created","order_id":"nginx-baseline-0000000001","status":"Pending","total":59.99}'
write_nginx_config "$work/nginx" "$nginx_port" "$SERVER_THREADS" "$body"
nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' 2>"$work/nginx/stderr" &
nginx_pid=$!
nginx_url="http://127.0.0.1:$nginx_port"
for _ in $(seq 100); do
  curl -s -o /dev/null "$nginx_url/" && break
  sleep 0.1
done
curl -s -o /dev/null "$nginx_url/" || { echo "nginx did not start" >&2; cat "$work/nginx/stderr" >&2; exit 1; }

# run_wrk NAME URL TAG CONNECTIONS [PAUSE_MS] -> prints the RESULT line
run_wrk() {
  local url=$2 tag=$3 connections=$4 pause=${5:-0}
  WRK_PAUSE_MS=$pause wrk -t "$WRK_THREADS" -c "$connections" -d "$DURATION" --latency \
    -s "$SCRIPT" "$url" -- "$tag" | grep '^RESULT'
}
field() { sed -E "s/.* $1=([^ ]+).*/\1/"; }
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

load_before=$(cut -d' ' -f1-3 /proc/loadavg)
echo "warming up..." >&2
run_wrk orderd "$orderd_url" warm "$CONNECTIONS" >/dev/null
run_wrk nginx "$nginx_url" warm "$CONNECTIONS" >/dev/null

: >"$work/max.txt"
for i in $(seq "$RUNS"); do
  if [ $((i % 2)) -eq 1 ]; then order="orderd nginx"; else order="nginx orderd"; fi
  for who in $order; do
    url=$orderd_url
    [ "$who" = nginx ] && url=$nginx_url
    line=$(run_wrk "$who" "$url" "max$i" "$CONNECTIONS")
    echo "$who max run $i: $line" >&2
    echo "$who $line" >>"$work/max.txt"
  done
done
orderd_rps=$(grep '^orderd' "$work/max.txt" | field rps | median)
# Each round's ratio pairs runs made close together in time, so it is less
# exposed to the CPU speed changing between rounds.
round_ratio=$(paste <(grep '^orderd' "$work/max.txt" | field rps) \
                    <(grep '^nginx' "$work/max.txt" | field rps) |
              awk '{printf "%.4f\n", $1 / $2}' | median)
nginx_rps=$(grep '^nginx' "$work/max.txt" | field rps | median)
orderd_p99_max=$(grep '^orderd' "$work/max.txt" | field p99_us | median)
nginx_p99_max=$(grep '^nginx' "$work/max.txt" | field p99_us | median)

half=$(awk -v r="$orderd_rps" 'BEGIN {printf "%d", r / 2}')
# Each connection sends one request per cycle of pause + response time +
# wrk's timer slack; 2 ms stands in for the last two (measured here: a 5 ms
# pause gives cycles of about 7 ms), and the report shows the rate reached.
paced_connections=$(awk -v r="$half" -v p="$PACE_MS" 'BEGIN {printf "%d", r * (p + 2) / 1000 + 0.5}')
: >"$work/paced.txt"
for i in $(seq "$RUNS"); do
  if [ $((i % 2)) -eq 1 ]; then order="orderd nginx"; else order="nginx orderd"; fi
  for who in $order; do
    url=$orderd_url
    [ "$who" = nginx ] && url=$nginx_url
    line=$(run_wrk "$who" "$url" "paced$i" "$paced_connections" "$PACE_MS")
    echo "$who paced run $i: $line" >&2
    echo "$who $line" >>"$work/paced.txt"
  done
done
orderd_paced_rps=$(grep '^orderd' "$work/paced.txt" | field rps | median)
nginx_paced_rps=$(grep '^nginx' "$work/paced.txt" | field rps | median)
orderd_paced_p99=$(grep '^orderd' "$work/paced.txt" | field p99_us | median)
nginx_paced_p99=$(grep '^nginx' "$work/paced.txt" | field p99_us | median)
orderd_paced_p50=$(grep '^orderd' "$work/paced.txt" | field p50_us | median)
non2xx=$(awk '{for (i = 1; i <= NF; i++) if ($i ~ /^(non2xx|socket_errors)=/) {split($i, kv, "="); s += kv[2]}} END {print s + 0}' "$work/max.txt" "$work/paced.txt")

load_after=$(cut -d' ' -f1-3 /proc/loadavg)
ms() { awk -v us="$1" 'BEGIN {printf "%.2f", us / 1000}'; }
ratio=$(awk -v a="$orderd_rps" -v b="$nginx_rps" 'BEGIN {printf "%.0f", 100 * a / b}')
cat <<REPORT
Machine: $(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'); $(uname -sr);
load average $load_before before, $load_after after the runs.
Settings: wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION, $RUNS alternating runs each;
orderd --threads $SERVER_THREADS $ORDERD_FLAGS; nginx worker_processes $SERVER_THREADS, body ${#body} bytes.
Paced: $paced_connections connections, each pausing ${PACE_MS} ms after every response (target $half req/s).

| measurement | orderd | nginx | orderd / nginx |
| --- | ---: | ---: | ---: |
| max throughput, median req/s | $(printf '%.0f' "$orderd_rps") | $(printf '%.0f' "$nginx_rps") | ${ratio}% |
| same, median of per-round ratios | | | $(awk -v r="$round_ratio" 'BEGIN {printf "%.0f", 100 * r}')% |
| p99 at max throughput, median | $(ms "$orderd_p99_max") ms | $(ms "$nginx_p99_max") ms | |
| paced load, median req/s reached | $(printf '%.0f' "$orderd_paced_rps") | $(printf '%.0f' "$nginx_paced_rps") | |
| p50 / p99 at paced load, median | $(ms "$orderd_paced_p50") / $(ms "$orderd_paced_p99") ms | - / $(ms "$nginx_paced_p99") ms | |

Non-2xx responses and socket errors over all runs: $non2xx
REPORT
