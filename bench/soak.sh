#!/bin/sh
# The soak test: an hour of mixed traffic with restarts by default (see
# bench/soak.py for what it checks and its flags).
#
#   bench/soak.sh --orderd build/release/app/orderd [--duration 3600] [--cycle-seconds 240]
exec python3 "$(dirname "$0")/soak.py" "$@"
