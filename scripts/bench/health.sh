#!/usr/bin/env bash
# Benchmark of the foundation: /health/live throughput and latency with wrk on loopback, idle RSS,
# time from process start to the first request served on an existing database.
# Usage: scripts/bench/health.sh [path/to/release/yizhan]   (builds the release binary if omitted)
set -euo pipefail
cd "$(dirname "$0")/../.."
bin=${1:-}
if [ -z "$bin" ]; then swift build -c release --product yizhan >/dev/null; bin=.build/release/yizhan; fi
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
work=$(mktemp -d /tmp/yizhan-bench.XXXXXX)
pid=""
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')

start() {
  YIZHAN_DATA_DIR="$work/data" YIZHAN_LOG_LEVEL=${LOG_LEVEL:-info} "$bin" serve --port "$port" >"$work/server.log" 2>&1 &
  pid=$!
  t0=$(date +%s%N)
  until curl -fs "http://127.0.0.1:$port/health/live" >/dev/null 2>&1; do sleep 0.005; done
  echo "first request served $(( ($(date +%s%N) - t0) / 1000000 )) ms after start"
}

start                       # creates and migrates the database
kill -TERM $pid; wait $pid; pid=""
start                       # the measured start: existing database
sleep 2
echo "idle RSS: $(awk '/VmRSS/ {print $2 " kB"}' /proc/$pid/status)"
wrk -t2 -c64 -d5s "http://127.0.0.1:$port/health/live" >/dev/null   # warm-up
wrk -t2 -c64 -d20s --latency "http://127.0.0.1:$port/health/live" | tee "$work/wrk.txt"
echo "RSS after load: $(awk '/VmRSS/ {print $2 " kB"}' /proc/$pid/status)"
kill -TERM $pid; wait $pid; pid=""
