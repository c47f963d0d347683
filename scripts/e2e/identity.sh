#!/usr/bin/env bash
# End-to-end checks of identity with the real binary: the platform bootstrap on an empty database
# (generated password on standard error, once, never in the log), login and /me over HTTP, and the
# administration commands (tenants, users, api-keys) against the running server's database.
set -euo pipefail
bin=${1:?usage: identity.sh path/to/yizhan}
work=$(mktemp -d /tmp/yizhan-e2e-identity.XXXXXX)
pid=""
cleanup() { [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

fail() { echo "e2e identity FAILED: $*" >&2; [ -f "$work/server.out" ] && tail -n 20 "$work/server.out" "$work/server.err" >&2; exit 1; }
. "$(dirname "$0")/lib.sh"
post() { curl -s -H 'Content-Type: application/json' "$@"; }

check() {  # check NAME ENV...
  local name=$1; shift
  echo "-- $name"
  port=$(free_port)
  env "$@" "$bin" serve --port "$port" >"$work/server.out" 2>"$work/server.err" &
  pid=$!
  wait_ready "$port" "$pid" "$name"
  local password; password=$(sed -n 's/^ *password: *//p' "$work/server.err")
  [ -n "$password" ] || fail "$name: no generated administrator password on standard error"
  if grep -qF -- "$password" "$work/server.out"; then fail "$name: the generated password reached the log"; fi
  local base="http://127.0.0.1:$port/api/v1"
  local login; login=$(post -d "{\"tenant\":\"platform\",\"email\":\"admin@yizhan.local\",\"password\":\"$password\"}" "$base/auth/login")
  local token; token=$(echo "$login" | json 'd["data"]["access_token"]') || fail "$name: admin login: $login"
  local roles; roles=$(curl -s -H "Authorization: Bearer $token" "$base/me" | json '",".join(d["data"]["roles"])')
  [ "$roles" = "owner,platform_admin" ] || fail "$name: admin roles are '$roles'"

  echo "owner's first password" | env "$@" "$bin" tenants create --code acme --name Acme --owner-email o@acme.test --owner-password-stdin >"$work/cli.out" \
    || fail "$name: tenants create"
  env "$@" "$bin" tenants list | grep -q $'\tacme\tactive\tAcme' || fail "$name: tenants list has no acme"
  local key; key=$(env "$@" "$bin" api-keys create --tenant acme --name ci --permission users:read | sed -n 's/^key (shown once): //p')
  [[ "$key" == yz_* ]] || fail "$name: api-keys create printed no key"
  local users; users=$(curl -s -H "X-API-Key: $key" "$base/users" | json 'd["data"]["items"][0]["email"]')
  [ "$users" = "o@acme.test" ] || fail "$name: the key cannot list users: $users"
  local key_id; key_id=$(curl -s -H "X-API-Key: $key" "$base/me" | json 'd["data"]["actor_id"]')
  env "$@" "$bin" api-keys revoke --tenant acme --id "$key_id" >/dev/null || fail "$name: api-keys revoke"
  sleep 1.2
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "X-API-Key: $key" "$base/users")" = "401" ] || fail "$name: a revoked key still works after 1.2 s"
  env "$@" "$bin" users reset-password --tenant acme --email o@acme.test --password "owner's second password" >/dev/null || fail "$name: reset-password"
  [ "$(post -o /dev/null -w '%{http_code}' -d '{"tenant":"acme","email":"o@acme.test","password":"owner'"'"'s first password"}' "$base/auth/login")" = "401" ] \
    || fail "$name: the old password still logs in"
  post -d '{"tenant":"acme","email":"o@acme.test","password":"owner'"'"'s second password"}' "$base/auth/login" | json 'd["data"]["access_token"]' >/dev/null \
    || fail "$name: the reset password does not log in"
  if grep -qF -- "$key" "$work/server.out" "$work/server.err"; then fail "$name: the API key reached the log"; fi
  kill -TERM "$pid"; wait "$pid" || fail "$name: stop"
  pid=""
  if [ "$name" = sqlite ]; then
    # The generated master key is the owner's alone, and the signing key in the database is sealed.
    [ "$(stat -c %a "$work/data/master.key")" = "600" ] || fail "$name: master.key is not mode 0600"
    local stored; stored=$(python3 -c "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute(\"SELECT value FROM settings WHERE key = 'auth.jwt_signing_key'\").fetchone()[0])" "$work/data/yizhan.sqlite")
    [[ "$stored" == yzsec1:* ]] || fail "$name: the stored signing key is not sealed"
  fi
  echo "   bootstrap password once on stderr, admin login, tenants/users/api-keys commands, revocation within 1.2 s"
}

check sqlite "YIZHAN_DATA_DIR=$work/data"
if [ -n "${YIZHAN_TEST_POSTGRES_URL:-}" ]; then
  database="yizhan_e2e_identity_$$"
  psql "$YIZHAN_TEST_POSTGRES_URL" -qc "CREATE DATABASE $database" >/dev/null
  url=$(python3 -c "import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path='/$database')))" "$YIZHAN_TEST_POSTGRES_URL")
  check postgres "YIZHAN_DATABASE_URL=$url" "YIZHAN_MASTER_KEY=AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
  psql "$YIZHAN_TEST_POSTGRES_URL" -qc "DROP DATABASE $database" >/dev/null
fi
echo "e2e identity: all checks passed"
