#!/usr/bin/env bash
# /health/live against the floor in alternating rounds: `yizhan serve` and `yizhan-bench floor`
# are started once and left running, and short wrk runs alternate between them, so the two halves
# of a round are seconds apart instead of health.sh's 25 s. The VM this is measured on changes speed
# from minute to minute; what it does to one half it then does to the other as well, and the ratio
# of the two is what this script reports: per round, and the median over the rounds.
#
# Each round also prints the steal over it (scripts/bench/common.sh): rounds with much of it say
# more about the VM's neighbours than about either server.
#
# Usage: scripts/bench/ratio.sh [ROUNDS [SECONDS]] (default 6 rounds of 10 s a side)
#        BIN=path/to/release/yizhan BENCH=path/to/release/yizhan-bench to skip the builds
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/bench/common.sh
rounds=${1:-6}
seconds=${2:-10}
bin=${BIN:-$(release_binary yizhan)}
bench=${BENCH:-$(release_binary yizhan-bench)}
require_wrk
work=$(mktemp -d /tmp/yizhan-bench-ratio.XXXXXX)
declare -A port pid
stop_all() {  # SIGTERM: both servers drain and exit 0, so bash reports no killed job
  for p in "${pid[@]}"; do kill -TERM "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
  rm -rf "$work"
}
trap stop_all EXIT

port[yizhan]=$(free_port)
YIZHAN_DATA_DIR="$work/data" YIZHAN_LOG_LEVEL=${LOG_LEVEL:-info} "$bin" serve --port "${port[yizhan]}" >"$work/yizhan.log" 2>&1 &
pid[yizhan]=$!
port[floor]=$(free_port)
"$bench" floor "${port[floor]}" >"$work/floor.log" 2>&1 &
pid[floor]=$!
for name in yizhan floor; do
  until curl -fs "http://127.0.0.1:${port[$name]}/health/live" >/dev/null 2>&1; do
    kill -0 "${pid[$name]}" 2>/dev/null || { echo "$name exited during start:" >&2; cat "$work/$name.log" >&2; exit 1; }
    sleep 0.01
  done
  wrk -t2 -c64 -d3s "http://127.0.0.1:${port[$name]}/health/live" >/dev/null  # warm-up
done

# run NAME: one wrk run; prints "rate cpu_us_per_request"
run() {
  local name=$1 before after out requests per_second
  before=$(cpu_ticks "${pid[$name]}")
  out=$(wrk -t2 -c64 -d"${seconds}s" "http://127.0.0.1:${port[$name]}/health/live")
  after=$(cpu_ticks "${pid[$name]}")
  requests=$(awk '/requests in/ {print $1}' <<<"$out")
  per_second=$(awk '/Requests\/sec/ {print $2}' <<<"$out")
  python3 -c "print(round($per_second), round(($after - $before) * 1e6 / $(getconf CLK_TCK) / $requests, 1))"
}

declare -A rate cpu
printf '%-6s %12s %12s %7s %26s %8s\n' round "yizhan req/s" "floor req/s" ratio "CPU µs/request, ours/floor" "steal %"
for round in $(seq 1 "$rounds"); do
  # Alternate which side goes first, so neither always meets the VM a few seconds later.
  if (( round % 2 )); then order=(yizhan floor); else order=(floor yizhan); fi
  mark=$(steal_mark)
  for name in "${order[@]}"; do read -r "rate[$name]" "cpu[$name]" < <(run "$name"); done
  steal=$(steal_percent "$mark")
  ratio=$(python3 -c "print(round(${rate[yizhan]} / ${rate[floor]}, 3))")
  echo "$ratio" >>"$work/ratios"
  printf '%-6s %12s %12s %7s %15s / %-8s %8s\n' "$round" "${rate[yizhan]}" "${rate[floor]}" "$ratio" "${cpu[yizhan]}" "${cpu[floor]}" "$steal"
done
echo "median ratio: $(python3 -c 'import statistics, sys; print(round(statistics.median(float(l) for l in sys.stdin), 3))' <"$work/ratios")"
