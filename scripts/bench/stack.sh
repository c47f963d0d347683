#!/usr/bin/env bash
# CPU time of one request through Yizhan's router in process (no socket, kernel or HTTP codec):
# a plain route on a bare router (the floor's), the same route behind Yizhan's middlewares, and
# /health/live through the generated OpenAPI server behind them. Each is measured twice,
# interleaved, 3 s a time, on one core.
# Usage: scripts/bench/stack.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/build-release --product yizhan-bench >/dev/null
.build/release/yizhan-bench stack
