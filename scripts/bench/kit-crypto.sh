#!/usr/bin/env bash
# Callback crypto throughput of LarkKit and WeComKit on one core (issue 3 target: ≥ 100,000/s each).
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/build-release --product yizhan-bench >/dev/null
taskset -c 0 .build/release/yizhan-bench
