#!/usr/bin/env bash
# orderload's standard scenarios against orderd, end to end: builds Release,
# runs every scenario REPEATS times (a fresh orderd on a fresh data directory
# for each run), measures nginx returning a fixed JSON body under the same
# orderload settings as the HTTP ceiling, and writes the results into the
# "Load generator scenarios" section of docs/performance.md plus a
# latency-vs-throughput plot, docs/orderload-latency.png.
#
#   bench/run.sh              everything, docs updated
#   bench/run.sh --no-docs    everything, the table printed only
#
# Scenarios (orderload flags beside the common ones):
#   max        create, closed loop: the highest rate orderd sustains (defaults)
#   max-nosync the same with --fsync never
#   nginx      the same against nginx (the HTTP ceiling, against max-nosync),
#              the three rotating run by run
#   open-N     create, open loop at N% of max's median (N in OPEN_LOAD_PERCENTS)
#   mixed      80% creates, 20% status reads, closed loop
#   status     status reads of seeded orders, closed loop
#   hot        create with Zipf-skewed items (--zipf HOT_ZIPF): a few hot
#              products take most of the stock updates
#   fsync-P    create, closed loop, orderd --fsync P for each P in
#              FSYNC_POLICIES, the policies alternating run by run
#
# Settings (environment): REPEATS (3), DURATION (5s), WARMUP (2s),
# CONNECTIONS (64), LOAD_THREADS (2), SERVER_THREADS (2: orderd --threads and
# nginx worker_processes), ORDERD_FLAGS (extra orderd flags),
# OPEN_LOAD_PERCENTS ("10 25 50 75 90"), HOT_ZIPF (1.2),
# FSYNC_POLICIES ("always interval:10 never"), BUILD_DIR (build/bench), JOBS (2),
# KEEP_RESULTS (a directory to keep every run's orderload JSON and text in),
# ORDERD and ORDERLOAD (use these binaries instead of building).
set -euo pipefail
cd "$(dirname "$0")/.."
source bench/nginx_config.sh

REPEATS=${REPEATS:-3}
DURATION=${DURATION:-5s}
WARMUP=${WARMUP:-2s}
CONNECTIONS=${CONNECTIONS:-64}
LOAD_THREADS=${LOAD_THREADS:-2}
SERVER_THREADS=${SERVER_THREADS:-2}
ORDERD_FLAGS=${ORDERD_FLAGS:-}
OPEN_LOAD_PERCENTS=${OPEN_LOAD_PERCENTS:-10 25 50 75 90}
HOT_ZIPF=${HOT_ZIPF:-1.2}
FSYNC_POLICIES=${FSYNC_POLICIES:-always interval:10 never}
BUILD_DIR=${BUILD_DIR:-build/bench}
JOBS=${JOBS:-2}
UPDATE_DOCS=1
[ "${1:-}" = --no-docs ] && UPDATE_DOCS=0

for tool in cmake nginx python3 gnuplot timeout; do
  command -v "$tool" >/dev/null || { echo "missing: $tool (./dev deps installs it)" >&2; exit 1; }
done
[ "$REPEATS" -ge 3 ] || { echo "REPEATS must be at least 3 (medians of 3 or more)" >&2; exit 2; }

if [ -z "${ORDERD:-}" ] || [ -z "${ORDERLOAD:-}" ]; then
  echo "building Release in $BUILD_DIR..." >&2
  cmake -S . -B "$BUILD_DIR" -DCMAKE_BUILD_TYPE=Release >/dev/null
  cmake --build "$BUILD_DIR" -j "$JOBS" --target orderd orderload >/dev/null
  ORDERD=$BUILD_DIR/app/orderd
  ORDERLOAD=$BUILD_DIR/loadgen/orderload
fi

work=$(mktemp -d)
orderd_pid=""
nginx_pid=""
stop_pid() {  # stop_pid PID: SIGTERM, then SIGKILL after 10 s
  local pid=$1
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  kill -9 "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
cleanup() {
  stop_pid "$orderd_pid"
  stop_pid "$nginx_pid"
  if [ -n "${KEEP_RESULTS:-}" ] && [ -d "$work/results" ]; then
    mkdir -p "$KEEP_RESULTS" && cp "$work"/results/* "$work"/scenarios.tsv "$KEEP_RESULTS"/ 2>/dev/null
  fi
  rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

seconds_of() {  # "5s" / "500ms" / "2m" / "5" -> whole seconds, rounded up
  python3 -c 'import re, sys, math
m = re.fullmatch(r"([0-9.]+)(ms|s|m)?", sys.argv[1])
if not m: sys.exit("bad duration: " + sys.argv[1])
print(math.ceil(float(m[1]) * {"ms": 0.001, "s": 1, "m": 60, None: 1}[m[2]]))' "$1"
}
# Longest a run may take: warm-up, measurement, seeding, the final timeout.
RUN_LIMIT=$(($(seconds_of "$WARMUP") + $(seconds_of "$DURATION") + 60))

start_orderd() {  # start_orderd [extra flags]: sets orderd_pid and orderd_url
  rm -rf "$work/data"
  # Emptied here, not only by the redirection below, which the background
  # child may do after the loop has already read the previous run's address.
  : >"$work/orderd.out"
  # shellcheck disable=SC2086
  "$ORDERD" --port 0 --data-dir "$work/data" --threads "$SERVER_THREADS" $ORDERD_FLAGS "$@" \
    >"$work/orderd.out" 2>"$work/orderd.err" &
  orderd_pid=$!
  orderd_url=""
  for _ in $(seq 100); do
    orderd_url=$(sed -n 's/^orderd listening on //p' "$work/orderd.out" 2>/dev/null)
    # It listens before it has recovered its data directory.
    [ -n "$orderd_url" ] && curl -sf -o /dev/null "$orderd_url/health/ready" && return 0
    kill -0 "$orderd_pid" 2>/dev/null || break
    sleep 0.1
  done
  echo "orderd did not start:" >&2
  cat "$work/orderd.out" "$work/orderd.err" >&2
  exit 1
}

stop_orderd() {
  stop_pid "$orderd_pid"
  orderd_pid=""
}

start_nginx() {  # sets nginx_pid and nginx_url
  local port body
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  # About 100 bytes, shaped like orderd's answer so orderload's check passes.
  body='{"message":"Order created","order_id":"nginx-fixed-body-00000000000000000000000000000000000000000"}'
  write_nginx_config "$work/nginx" "$port" "$SERVER_THREADS" "$body"
  nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' 2>"$work/nginx/stderr" &
  nginx_pid=$!
  nginx_url="http://127.0.0.1:$port"
  for _ in $(seq 100); do
    python3 -c 'import socket, sys; socket.create_connection(("127.0.0.1", int(sys.argv[1])), 1)' \
      "$port" 2>/dev/null && return 0
    sleep 0.1
  done
  echo "nginx did not start:" >&2
  cat "$work/nginx/stderr" >&2
  exit 1
}

mkdir -p "$work/results"
: >"$work/scenarios.tsv"
describe() {  # describe NAME DESCRIPTION FLAGS: one row of the report, in this order
  printf '%s\t%s\t%s\n' "$1" "$2" "$3" >>"$work/scenarios.tsv"
}

# run_load NAME RUN URL [orderload flags...]: one bounded orderload run
run_load() {
  local name=$1 run=$2 url=$3
  shift 3
  timeout --signal=INT --kill-after=10 "$RUN_LIMIT" \
    "$ORDERLOAD" --url "$url" -c "$CONNECTIONS" -t "$LOAD_THREADS" --duration "$DURATION" \
    --warmup "$WARMUP" --no-progress --json "$work/results/$name.$run.json" "$@" \
    >"$work/results/$name.$run.txt"
  python3 -c 'import json, sys
r = json.load(open(sys.argv[1]))
print("%12s run %s: %9.0f req/s, p99 %.2f ms, errors %d" % (sys.argv[2], sys.argv[3],
      r["achieved_rate"], r["latency_us"]["p99"] / 1000, r["errors"]["total"]))' \
    "$work/results/$name.$run.json" "$name" "$run" >&2
}

# run_orderd_scenario NAME "ORDERD FLAGS" [orderload flags...]
run_orderd_scenario() {
  local name=$1 server_flags=$2
  shift 2
  for run in $(seq "$REPEATS"); do
    # shellcheck disable=SC2086
    start_orderd $server_flags
    run_load "$name" "$run" "$orderd_url" "$@"
    stop_orderd
  done
}

common="-c $CONNECTIONS -t $LOAD_THREADS, $WARMUP warm-up, $DURATION measured"

# Closed-loop maximum as configured by default (fsync always), the same
# without waiting for fsync, and nginx, which writes nothing to disk: the
# HTTP ceiling is the second against the third. The three rotate run by run
# so that a drifting CPU clock affects them alike.
start_nginx
describe max "create, closed loop (max throughput, default --fsync always)" ""
describe max-nosync "create, closed loop, --fsync never (compared with nginx)" ""
describe nginx "nginx, fixed ~100-byte JSON body, same settings (HTTP ceiling)" ""
contenders=(max max-nosync nginx)
for run in $(seq "$REPEATS"); do
  for i in 0 1 2; do
    who=${contenders[$(((i + run - 1) % 3))]}
    case "$who" in
      max) start_orderd ;;
      max-nosync) start_orderd --fsync never ;;
    esac
    if [ "$who" = nginx ]; then
      run_load nginx "$run" "$nginx_url"
    else
      run_load "$who" "$run" "$orderd_url"
      stop_orderd
    fi
  done
done
stop_pid "$nginx_pid"
nginx_pid=""

max_rate=$(python3 -c 'import json, glob, statistics, sys
print(int(statistics.median(json.load(open(f))["achieved_rate"] for f in glob.glob(sys.argv[1]))))' \
  "$work/results/max.*.json")
echo "max throughput (median): $max_rate req/s" >&2

for percent in $OPEN_LOAD_PERCENTS; do
  rate=$((max_rate * percent / 100))
  describe "open-$percent" "create, open loop at $percent% of max" "--rate $rate"
  run_orderd_scenario "open-$percent" "" --rate "$rate"
done

describe mixed "mixed 80% create / 20% status, closed loop" "--workload mixed --mix 80/20"
run_orderd_scenario mixed "" --workload mixed --mix 80/20
describe status "status reads of 10000 seeded orders, closed loop" "--workload status"
run_orderd_scenario status "" --workload status
describe hot "create, hot products (Zipf $HOT_ZIPF over 1000), closed loop" "--zipf $HOT_ZIPF"
run_orderd_scenario hot "" --zipf "$HOT_ZIPF"

# Fsync policies, run by run in rotating order so a drifting CPU clock or
# disk affects each alike; the ratio of medians always/never is the figure.
for policy in $FSYNC_POLICIES; do
  describe "fsync-$policy" "create, closed loop, orderd --fsync $policy" ""
done
read -r -a policies <<<"$FSYNC_POLICIES"
for run in $(seq "$REPEATS"); do
  for i in "${!policies[@]}"; do
    policy=${policies[$(((i + run - 1) % ${#policies[@]}))]}
    start_orderd --fsync "$policy"
    run_load "fsync-$policy" "$run" "$orderd_url"
    stop_orderd
  done
done
fsync_note=$(python3 -c 'import json, glob, statistics, sys
def median(policy):
    files = glob.glob(sys.argv[1] + "/fsync-" + policy + ".*.json")
    return statistics.median(json.load(open(f))["achieved_rate"] for f in files) if files else 0
always, never = median("always"), median("never")
if always and never:
    print("Fsync: always reaches %.0f%% of never (medians %.0f and %.0f req/s)."
          % (100 * always / never, always, never))' "$work/results")
echo "$fsync_note" >&2

report_args=(--results "$work/results" --scenarios "$work/scenarios.tsv"
  --settings "orderd --threads $SERVER_THREADS${ORDERD_FLAGS:+ $ORDERD_FLAGS} (default --fsync always unless the scenario says otherwise), a fresh data directory per run; orderload $common; $REPEATS runs per scenario"
  --machine "$(nproc) CPUs, $(grep -m1 'model name' /proc/cpuinfo | sed 's/.*: //'), $(uname -sr)"
  --note "$fsync_note" --plot-data "$work/plot.dat")
if [ "$UPDATE_DOCS" -eq 1 ]; then
  python3 bench/orderload_report.py "${report_args[@]}" --doc docs/performance.md
  gnuplot -e "data='$work/plot.dat'; output='docs/orderload-latency.png'; max_rate=$max_rate" \
    bench/orderload_latency.gp
  echo "updated docs/performance.md and docs/orderload-latency.png" >&2
else
  python3 bench/orderload_report.py "${report_args[@]}"
fi
