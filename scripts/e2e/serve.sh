#!/usr/bin/env bash
# End-to-end checks of the real binary: serve on SQLite (and on PostgreSQL when
# YIZHAN_TEST_POSTGRES_URL is set), the envelope on the wire, data surviving a restart, SIGTERM
# during a burst (every accepted request answered, exit 0), and an unreachable database.
set -euo pipefail
bin=${1:?usage: serve.sh path/to/yizhan}
work=$(mktemp -d /tmp/yizhan-e2e.XXXXXX)
pid=""
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

fail() { echo "e2e FAILED: $*" >&2; [ -f "$work/server.log" ] && tail -n 20 "$work/server.log" >&2; exit 1; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'; }
json() { python3 -c "import json,sys; d=json.load(sys.stdin); print(eval(sys.argv[1], {}, {'d': d}))" "$1"; }
admin_password="e2e administrator's password"
master_key="AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="  # PostgreSQL mode needs one (or jwtKeys)

# The instance id from /api/v1/system, which answers authenticated callers only.
instance_id() {
  local login; login=$(curl -s -H 'Content-Type: application/json' \
    -d "{\"tenant\":\"platform\",\"email\":\"admin@yizhan.local\",\"password\":\"$admin_password\"}" \
    "http://127.0.0.1:$port/api/v1/auth/login")
  local token; token=$(echo "$login" | json 'd["data"]["access_token"]') || fail "admin login: $login"
  curl -s -H "Authorization: Bearer $token" "http://127.0.0.1:$port/api/v1/system" | json 'd["data"]["instance_id"]'
}

start() {  # start ENV... ; sets pid and port
  port=$(free_port)
  env "$@" "$bin" serve --port "$port" >"$work/server.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do
    curl -fs "http://127.0.0.1:$port/health/ready" >/dev/null 2>&1 && return 0
    kill -0 "$pid" 2>/dev/null || fail "server exited during start"
    sleep 0.1
  done
  fail "server not ready after 30 s"
}

# SIGTERM while 8 clients hammer the server with one connection per request. Every request the
# server took up must complete with a whole 200. A connection still waiting in the kernel's accept
# queue when the listener closes is reset (curl 56), and one accepted with no request read yet is
# closed (curl 52): the server never took those requests up, and HTTP/1.1 lets clients retry them.
# A partial or non-200 response fails the check. In-flight handlers finishing is proven precisely
# by ShutdownTests (slow requests in progress at the signal all complete).
stop_with_burst() {
  local loops=()
  for i in $(seq 1 8); do
    ( for _ in $(seq 1 400); do
        code=0; out=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/health/live") || code=$?
        case "$code" in 7|52|56) exit 0 ;; esac                     # never taken up: see above
        if [ "$code" != "0" ] || [ "$out" != "200" ]; then echo "curl exit $code status $out" >"$work/burst-$i.bad"; exit 0; fi
      done ) &
    loops+=($!)
  done
  sleep 0.5
  kill -TERM "$pid"
  local status=0
  wait "$pid" || status=$?
  pid=""
  for loop in "${loops[@]}"; do wait "$loop" || true; done
  [ "$status" = "0" ] || fail "serve exited $status after SIGTERM"
  if compgen -G "$work/burst-*.bad" >/dev/null; then cat "$work"/burst-*.bad >&2; fail "a request accepted before SIGTERM did not complete"; fi
}

# Bodies on the wire, both ways: a JSON answer is sent whole with its Content-Length; a chunked
# request body reaches the operation; a POST with no body at all is a 400, not a 500.
check_bodies() {  # check_bodies NAME
  local name=$1 url="http://127.0.0.1:$port/api/v1/diagnostics/echo"
  curl -s -D "$work/headers" -o "$work/body" "http://127.0.0.1:$port/health/live"
  local length; length=$(tr -d '\r' <"$work/headers" | awk -F': ' 'tolower($1) == "content-length" {print $2}')
  [ "$length" = "$(wc -c <"$work/body")" ] || fail "$name: /health/live Content-Length '$length' is not the body's size"
  local chunked; chunked=$(curl -s -H 'Content-Type: application/json' -H 'Transfer-Encoding: chunked' \
    --data-binary '{"message":"chunked"}' "$url" | json 'd["data"]["message"]')
  [ "$chunked" = "chunked" ] || fail "$name: a chunked body did not reach the operation: $chunked"
  local empty; empty=$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' "$url")
  [ "$empty" = "400" ] || fail "$name: a POST with no body answered $empty"
}

check_engine() {  # check_engine NAME ENV...
  local name=$1; shift
  echo "-- $name"
  start "$@"
  local ready; ready=$(curl -s "http://127.0.0.1:$port/health/ready")
  [ "$(echo "$ready" | json 'd["success"]')" = "True" ] || fail "$name: ready is not a success envelope: $ready"
  local nope; nope=$(curl -s -w '\n%{http_code}' -H 'X-Request-ID: e2e-1' "http://127.0.0.1:$port/nope")
  [ "$(echo "$nope" | tail -n1)" = "404" ] || fail "$name: /nope is not 404"
  [ "$(echo "$nope" | head -n1 | json 'd["error"]["code"] + " " + d["meta"]["request_id"]')" = "NOT_FOUND e2e-1" ] || fail "$name: 404 envelope: $nope"
  # Whole bodies into variables first: with pipefail, `curl | grep -q` fails when grep stops reading early.
  local document; document=$(curl -fs "http://127.0.0.1:$port/openapi.yaml") || fail "$name: /openapi.yaml"
  [[ "$document" == "openapi: 3.1"* ]] || fail "$name: /openapi.yaml is not the document"
  local bad; bad=$(curl -s -w '\n%{http_code}' -H 'Content-Type: application/json' -d '{"message":' "http://127.0.0.1:$port/api/v1/diagnostics/echo")
  [ "$(echo "$bad" | tail -n1)" = "400" ] || fail "$name: malformed JSON is not 400"
  [ "$(echo "$bad" | head -n1 | json 'd["error"]["code"]')" = "VALIDATION_ERROR" ] || fail "$name: malformed JSON code"
  check_bodies "$name"
  local metrics; metrics=$(curl -fs "http://127.0.0.1:$port/metrics") || fail "$name: /metrics"
  [[ "$metrics" == *yizhan_http_requests_total* ]] || fail "$name: /metrics has no request counter"
  local anonymous; anonymous=$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$port/api/v1/system")
  [ "$anonymous" = "401" ] || fail "$name: /api/v1/system answered $anonymous without credentials"
  local id; id=$(instance_id)
  [ -n "$id" ] || fail "$name: no instance id"
  stop_with_burst
  start "$@"
  local again; again=$(instance_id)
  [ "$id" = "$again" ] || fail "$name: instance id changed across a restart ($id → $again)"
  kill -TERM "$pid"; wait "$pid" || fail "$name: second stop"
  pid=""
  echo "   ready, 404/400 envelopes, bodies both ways, openapi, metrics, restart keeps data, SIGTERM during a burst exits 0"
}

check_engine sqlite "YIZHAN_DATA_DIR=$work/data" "YIZHAN_BOOTSTRAP_ADMIN_PASSWORD=$admin_password"
if [ -n "${YIZHAN_TEST_POSTGRES_URL:-}" ]; then
  check_engine postgres "YIZHAN_DATABASE_URL=$YIZHAN_TEST_POSTGRES_URL" "YIZHAN_MASTER_KEY=$master_key" \
    "YIZHAN_BOOTSTRAP_ADMIN_PASSWORD=$admin_password"
fi

echo "-- unreachable database"
status=0
YIZHAN_DATABASE_URL="postgres://yizhan:topsecret@127.0.0.1:$(free_port)/none?sslmode=disable" YIZHAN_DATABASE_ACQUIRE_TIMEOUT_SECONDS=2 \
  YIZHAN_MASTER_KEY="$master_key" \
  "$bin" serve --port "$(free_port)" >"$work/unreachable.out" 2>"$work/unreachable.err" || status=$?
[ "$status" != "0" ] || fail "serve with an unreachable database exited 0"
grep -q 'cannot reach the database' "$work/unreachable.err" || { cat "$work/unreachable.err" >&2; fail "no clear error line"; }
[ "$(wc -l <"$work/unreachable.err")" -le 1 ] || { cat "$work/unreachable.err" >&2; fail "more than one error line"; }
if grep -q topsecret "$work/unreachable.err" "$work/unreachable.out"; then fail "the password was printed"; fi
echo "   exit $status: $(cat "$work/unreachable.err")"
echo "e2e: all checks passed"
