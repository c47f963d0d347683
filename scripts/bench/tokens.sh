#!/usr/bin/env bash
# The token pool's hit path beside LarkKit's in-memory token cache, in one process and one run:
# 64 concurrent callers time each `token()` call of a warm source (every call a hit), the two
# sides in alternating order per round; prints each round's median, p99 and calls/s, then the
# median over the rounds of pool / cache (the goal: within 1.5×). See docs/benchmarks.md.
#
# Usage: scripts/bench/tokens.sh [ROUNDS [CALLS]] (default 6 rounds of 64 × 20,000 calls a side)
#        BENCH=path/to/yizhan-bench to skip the release build
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/bench/common.sh
bench=${BENCH:-$(release_binary yizhan-bench)}
mark=$(steal_mark)
"$bench" tokens "$@"
echo "steal over the run: $(steal_percent "$mark") %"
