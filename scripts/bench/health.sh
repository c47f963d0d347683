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
# Usage: scripts/bench/health.sh [path/to/release/yizhan [path/to/release/yizhan-bench]]
#        (builds the release binaries that are not given)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-}
bench=${2:-}
if [ -z "$bin" ]; then swift build -c release --product yizhan >/dev/null; bin=.build/release/yizhan; fi
if [ -z "$bench" ]; then swift build -c release --product yizhan-bench >/dev/null; bench=.build/release/yizhan-bench; fi
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
work=$(mktemp -d /tmp/yizhan-bench.XXXXXX)
pid=""
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
url="http://127.0.0.1:$port/health/live"

start() {
  YIZHAN_DATA_DIR="$work/data" YIZHAN_LOG_LEVEL=${LOG_LEVEL:-info} "$bin" serve --port "$port" >"$work/server.log" 2>&1 &
  pid=$!
  t0=$(date +%s%N)
  until curl -fs "$url" >/dev/null 2>&1; do sleep 0.005; done
  echo "first request served $(( ($(date +%s%N) - t0) / 1000000 )) ms after start"
}

cpu_ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }

# 5 s of warm-up, then 20 s measured; prints wrk's report and the server's CPU µs per request.
measure() {
  wrk -t2 -c64 -d5s "$url" >/dev/null
  local before after
  before=$(cpu_ticks)
  wrk -t2 -c64 -d20s --latency "$url" | tee "$work/$1.txt"
  after=$(cpu_ticks)
  local requests
  requests=$(awk '/requests in/ {print $1}' "$work/$1.txt")
  echo "server CPU per request: $(python3 -c "print(round(($after - $before) * 1e6 / $(getconf CLK_TCK) / $requests, 1))") µs"
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

echo "yizhan $(rate yizhan) req/s, floor $(rate floor) req/s, ratio $(python3 -c "print(round($(rate yizhan) / $(rate floor), 2))")"
