#!/usr/bin/env bash
# JSON response bodies: the /health/live and /api/v1/me envelopes encoded by Foundation's JSONEncoder
# (what the OpenAPI runtime uses) and by CompactJSONEncoder (what the generated server uses), on one core.
set -euo pipefail
cd "$(dirname "$0")/../.."
scripts/build-release --product yizhan-bench >/dev/null
taskset -c 0 .build/release/yizhan-bench json
