#!/usr/bin/env bash
# Benchmark of the foundation: /health/live throughput and latency with wrk on loopback, idle RSS,
# time from process start to the first request served on an existing database.
#
# The VM this is measured on drifts in speed by half from hour to hour, so the same wrk run is then
# made against the floor: a bare Hummingbird server with the same event loops and one fixed route
# (`yizhan-bench floor`). The ratio of the two rates, and the server CPU time per request, hold
# still when the machine does not. scripts/bench/ratio.sh measures that ratio in alternating
# rounds, seconds apart, for when the VM drifts within a run.
#
# Each measured run also prints the share of the machine's CPU time the hypervisor took (steal): on
# this VM the slow phases are steal, up to 40 %, and a run with more than a few percent of it
# measures the neighbours as much as Yizhan.
#
# Usage: scripts/bench/health.sh [path/to/release/yizhan [path/to/release/yizhan-bench]]
#        (builds the release binaries that are not given, with scripts/build-release)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/bench/common.sh
bin=${1:-$(release_binary yizhan)}
bench=${2:-$(release_binary yizhan-bench)}
require_wrk
work=$(mktemp -d /tmp/yizhan-bench.XXXXXX)
pid=""
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$work"' EXIT
port=$(free_port)
url="http://127.0.0.1:$port/health/live"

start() {
  YIZHAN_DATA_DIR="$work/data" YIZHAN_LOG_LEVEL=${LOG_LEVEL:-info} "$bin" serve --port "$port" >"$work/server.log" 2>&1 &
  pid=$!
  t0=$(date +%s%N)
  until curl -fs "$url" >/dev/null 2>&1; do sleep 0.005; done
  echo "first request served $(( ($(date +%s%N) - t0) / 1000000 )) ms after start"
}

# 5 s of warm-up, then 20 s measured; prints wrk's report, the server's CPU µs per request and the
# steal over the measured run.
measure() {
  wrk -t2 -c64 -d5s "$url" >/dev/null
  local before after mark
  before=$(cpu_ticks "$pid")
  mark=$(steal_mark)
  wrk -t2 -c64 -d20s --latency "$url" | tee "$work/$1.txt"
  steal_percent "$mark" >"$work/$1.steal"
  after=$(cpu_ticks "$pid")
  local requests
  requests=$(awk '/requests in/ {print $1}' "$work/$1.txt")
  echo "server CPU per request: $(python3 -c "print(round(($after - $before) * 1e6 / $(getconf CLK_TCK) / $requests, 1))") µs"
  echo "steal: $(cat "$work/$1.steal") % of the machine's CPU time"
}

rate() { awk '/Requests\/sec/ {print $2}' "$work/$1.txt"; }

start                       # creates and migrates the database
kill -TERM $pid; wait $pid; pid=""
start                       # the measured start: existing database
sleep 2
echo "idle RSS: $(awk '/VmRSS/ {print $2 " kB"}' /proc/$pid/status)"
echo "== yizhan serve"
measure yizhan
echo "RSS after load: $(awk '/VmRSS/ {print $2 " kB"}' /proc/$pid/status)"
kill -TERM $pid; wait $pid; pid=""

echo "== floor: bare Hummingbird, one fixed route"
"$bench" floor "$port" >"$work/floor.log" 2>&1 &
pid=$!
until curl -fs "$url" >/dev/null 2>&1; do sleep 0.005; done
measure floor
kill -TERM $pid; wait $pid || true; pid=""

echo "yizhan $(rate yizhan) req/s (steal $(cat "$work/yizhan.steal") %), floor $(rate floor) req/s (steal $(cat "$work/floor.steal") %), ratio $(python3 -c "print(round($(rate yizhan) / $(rate floor), 2))")"
