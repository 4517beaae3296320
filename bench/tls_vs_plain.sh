#!/usr/bin/env bash
# orderd's POST /orders/ over HTTPS (--tls-cert, --tls-key) against plain
# HTTP, same binary, same flags, same wrk script (unique order ids), in one
# run on this machine. Prints a Markdown report.
#
#   bench/tls_vs_plain.sh [path/to/orderd]      (default build/release/app/orderd)
#
# Settings (environment): RUNS (5) alternating rounds (the order flips every
# round, so drifting CPU speed hits both), DURATION (8s) per wrk run,
# CONNECTIONS (64; kept open, so handshakes are not what is measured),
# WRK_THREADS (1), SERVER_THREADS (1), ORDERD_FLAGS (extra orderd flags;
# default --fsync never, so that the cost measured is the server's CPU).
# The certificate is a fresh self-signed P-256 one made with openssl.
set -euo pipefail
cd "$(dirname "$0")/.."

ORDERD=${1:-build/release/app/orderd}
RUNS=${RUNS:-5}
DURATION=${DURATION:-8s}
CONNECTIONS=${CONNECTIONS:-64}
WRK_THREADS=${WRK_THREADS:-1}
SERVER_THREADS=${SERVER_THREADS:-1}
ORDERD_FLAGS=${ORDERD_FLAGS:---fsync never}
SCRIPT=bench/wrk_create_orders.lua

for tool in wrk openssl python3 curl; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (see ./dev deps)" >&2; exit 1; }
done
[ -x "$ORDERD" ] || { echo "no orderd binary at $ORDERD (./dev build)" >&2; exit 1; }

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null; done
  rm -rf "$work"
}
trap cleanup EXIT

openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -days 1 -subj /CN=localhost \
  -addext subjectAltName=IP:127.0.0.1 -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null

# start NAME [flags...] -> sets url_NAME
start() {
  local name=$1
  shift
  # shellcheck disable=SC2086
  "$ORDERD" --port 0 --data-dir "$work/data-$name" --threads "$SERVER_THREADS" $ORDERD_FLAGS "$@" \
    >"$work/$name.out" 2>"$work/$name.err" &
  pids+=($!)
  for _ in $(seq 100); do
    grep -q "listening" "$work/$name.out" 2>/dev/null && break
    sleep 0.1
  done
  local url
  url=$(sed -n 's/^orderd listening on //p' "$work/$name.out")
  [ -n "$url" ] || { echo "orderd ($name) did not start:" >&2; cat "$work/$name.err" >&2; exit 1; }
  for _ in $(seq 100); do
    curl -skf -o /dev/null "$url/health/ready" && break
    sleep 0.1
  done
  printf -v "url_$name" '%s' "$url"
}
start plain
start tls --tls-cert "$work/cert.pem" --tls-key "$work/key.pem"

run_wrk() {  # URL TAG -> the RESULT line
  wrk -t "$WRK_THREADS" -c "$CONNECTIONS" -d "$DURATION" --latency -s "$SCRIPT" "$1" -- "$2" |
    grep '^RESULT'
}
field() { sed -E "s/.* $1=([^ ]+).*/\1/"; }
median() { sort -g | awk '{v[NR]=$1} END {print (NR%2) ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2}'; }

echo "warming up..." >&2
run_wrk "$url_plain" warm >/dev/null
run_wrk "$url_tls" warm >/dev/null
: >"$work/runs.txt"
for i in $(seq "$RUNS"); do
  if [ $((i % 2)) -eq 1 ]; then order="plain tls"; else order="tls plain"; fi
  for who in $order; do
    url_var="url_$who"
    line=$(run_wrk "${!url_var}" "r$i")
    echo "$who run $i: $line" >&2
    echo "$who $i $line" >>"$work/runs.txt"
  done
done

report() {  # NAME
  local rps p50 p99
  rps=$(grep "^$1 " "$work/runs.txt" | field rps | median)
  p50=$(grep "^$1 " "$work/runs.txt" | field p50_us | median)
  p99=$(grep "^$1 " "$work/runs.txt" | field p99_us | median)
  echo "| $1 | $rps | $p50 | $p99 |"
}
echo "TLS against plain HTTP: $RUNS alternating rounds, wrk -t$WRK_THREADS -c$CONNECTIONS -d$DURATION," \
  "orderd --threads $SERVER_THREADS $ORDERD_FLAGS ($(nproc) CPUs)"
echo
echo "| transport | creates/s (median) | p50 µs | p99 µs |"
echo "| --- | ---: | ---: | ---: |"
report plain
report tls
plain=$(grep '^plain ' "$work/runs.txt" | field rps | median)
tls=$(grep '^tls ' "$work/runs.txt" | field rps | median)
echo
echo "TLS / plain, ratio of medians: $(awk -v a="$tls" -v b="$plain" 'BEGIN {printf "%.1f%%", 100 * a / b}')"
for i in $(seq "$RUNS"); do
  a=$(grep "^tls $i " "$work/runs.txt" | field rps)
  b=$(grep "^plain $i " "$work/runs.txt" | field rps)
  awk -v a="$a" -v b="$b" 'BEGIN {printf "%.3f\n", a / b}'
done | median | awk '{printf "TLS / plain, median of per-round ratios: %.1f%%\n", 100 * $1}'
grep -h "non2xx=[1-9]\|socket_errors=[1-9]" "$work/runs.txt" && echo "(errors above)" || true
