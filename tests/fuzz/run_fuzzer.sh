#!/usr/bin/env bash
# Runs one libFuzzer target for a fixed time: new inputs go to WORK_DIR
# (the committed corpus is read, never written), a finding is saved there
# as crash-*/leak-*/timeout-* and fails the run.
#
#   run_fuzzer.sh BINARY WORK_DIR SECONDS DICT|"" "LIBFUZZER_FLAGS" CORPUS_DIR [MORE_DIRS...]
set -euo pipefail
binary=$1 work=$2 seconds=$3 dict=$4 flags=$5
shift 5
mkdir -p "$work/new"
dirs=()
for d in "$@"; do
  [ -d "$d" ] && dirs+=("$d")
done
args=(-max_total_time="$seconds" -timeout=10 -rss_limit_mb=2560
      -print_final_stats=1 -artifact_prefix="$work/")
[ -n "$dict" ] && args+=(-dict="$dict")
# shellcheck disable=SC2206 # flags are separate words by design
[ -n "$flags" ] && args+=($flags)
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:allocator_may_return_null=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}
exec "$binary" "${args[@]}" "$work/new" "${dirs[@]}"
