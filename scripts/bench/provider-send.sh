#!/usr/bin/env bash
# LarkKit against lark-oapi and WeComKit against wechatpy, each sending 10,000 text messages to one
# sandbox at concurrency 32, measured in one run; and the sandbox's own throughput with wrk
# (issue 3 targets: each kit ≥ 5× its official SDK; sandbox ≥ 10,000 sends/s).
set -euo pipefail
cd "$(dirname "$0")/../.."
count=${COUNT:-10000}
scripts/build-release --product yizhan >/dev/null
scripts/build-release --product yizhan-bench >/dev/null
venv=.build/interop-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check -r tests/interop/requirements.txt
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

work=$(mktemp -d /tmp/yizhan-bench.XXXXXX)
cat >"$work/seed.json" <<'JSON'
{"lark": {"apps": [{"app_id": "cli_bench", "app_secret": "bench-secret", "rate_limits": false}],
          "users": [{"open_id": "ou_bench", "name": "Bench"}]},
 "wecom": {"apps": [{"corp_id": "wwbench", "agent_id": 1000002, "secret": "bench-secret"}],
           "users": [{"corp_id": "wwbench", "userid": "bench", "name": "Bench"}]}}
JSON
.build/release/yizhan sandbox --port 0 --seed "$work/seed.json" >"$work/sandbox.out" 2>/dev/null &
pid=$!
trap 'kill $pid 2>/dev/null; rm -rf "$work"' EXIT
until grep -q 'sandbox listening on' "$work/sandbox.out"; do sleep 0.1; done
url=$(awk '/sandbox listening on/ {print $4}' "$work/sandbox.out")

.build/release/yizhan-bench lark-send "$url" "$count" 32
"$venv/bin/python" tests/interop/bench_lark_oapi_send.py "$url" "$count" 32
.build/release/yizhan-bench wecom-send "$url" "$count" 32
"$venv/bin/python" tests/interop/bench_wechatpy_send.py "$url" "$count" 32

token=$(curl -s -XPOST "$url/open-apis/auth/v3/tenant_access_token/internal" \
  -d '{"app_id":"cli_bench","app_secret":"bench-secret"}' | python3 -c 'import json,sys; print(json.load(sys.stdin)["tenant_access_token"])')
cat >"$work/send.lua" <<LUA
wrk.method = "POST"
wrk.headers["Authorization"] = "Bearer $token"
wrk.headers["Content-Type"] = "application/json"
wrk.body = '{"receive_id":"ou_bench","msg_type":"text","content":"{\\\\"text\\\\":\\\\"hi\\\\"}"}'
LUA
wrk -t2 -c32 -d10s -s "$work/send.lua" "$url/open-apis/im/v1/messages?receive_id_type=open_id" | grep -E 'Requests/sec|Non-2xx|Latency'
