#!/usr/bin/env bash
# Benchmark of authenticated requests: GET /api/v1/me with an access token (JWT) and with an API
# key, wrk on loopback, rate limits raised out of the way. Each credential is checked once a second
# (the principal cache); the rest is the cache hit, the rate limiter and the handler.
# Usage: scripts/bench/me.sh [path/to/release/yizhan]   (builds the release binary with scripts/build-release if omitted)
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/bench/common.sh
bin=${1:-$(release_binary yizhan)}
require_wrk
work=$(mktemp -d /tmp/yizhan-bench-me.XXXXXX)
pid=""
trap '[ -n "$pid" ] && kill -9 $pid 2>/dev/null; rm -rf "$work"' EXIT
port=$(free_port)
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, {'d': d}))" "$1"; }
password="bench administrator password"
export YIZHAN_DATA_DIR="$work/data" YIZHAN_BOOTSTRAP_ADMIN_PASSWORD="$password" YIZHAN_LOG_LEVEL=${LOG_LEVEL:-info}
export YIZHAN_RATE_LIMIT_PER_SECOND=10000000 YIZHAN_RATE_LIMIT_BURST=10000000

"$bin" serve --port "$port" >"$work/server.log" 2>&1 &
pid=$!
until curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1; do sleep 0.05; done
base="http://127.0.0.1:$port/api/v1"
token=$(curl -s -H 'Content-Type: application/json' \
  -d "{\"tenant\":\"platform\",\"email\":\"admin@yizhan.local\",\"password\":\"$password\"}" "$base/auth/login" | json 'd["data"]["access_token"]')
key=$(curl -s -H 'Content-Type: application/json' -H "Authorization: Bearer $token" \
  -d '{"name":"bench","permissions":["users:read"]}' "$base/api-keys" | json 'd["data"]["key"]')
[ "$(curl -s -o /dev/null -w '%{http_code}' -H "X-API-Key: $key" "$base/me")" = 200 ] || { echo "the key does not work" >&2; exit 1; }

for kind in jwt api-key; do
  if [ "$kind" = jwt ]; then header="Authorization: Bearer $token"; else header="X-API-Key: $key"; fi
  echo "== GET /api/v1/me with $kind"
  wrk -t2 -c64 -d5s -H "$header" "$base/me" >/dev/null   # warm-up
  wrk -t2 -c64 -d20s --latency -H "$header" "$base/me" | tee "$work/wrk-$kind.txt"
  grep -q "Non-2xx" "$work/wrk-$kind.txt" && { echo "error: non-2xx answers under load" >&2; exit 1; }
done
echo "== GET /health/live (same process, for reference)"
wrk -t2 -c64 -d10s "http://127.0.0.1:$port/health/live" | grep -E "Requests/sec|Latency"
kill -TERM $pid; wait $pid; pid=""
