#!/usr/bin/env bash
# End-to-end checks of `yizhan apps` and `yizhan keys` with the real binary, against a running
# server's database and a `yizhan sandbox`: register a Lark app (secrets from standard input and
# from a file or typed at a terminal without echo, never from a flag), list, show, verify (ok, and a refused secret exits 1), disable,
# enable, rotate the master key, remove; the server's /api/v1/apps sees the same, and no secret
# reaches a command's output or the server's log.
set -euo pipefail
bin=${1:?usage: apps.sh path/to/yizhan}
work=$(mktemp -d /tmp/yizhan-e2e-apps.XXXXXX)
pid=""
sandbox_pid=""
cleanup() {
  [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null || true
  [ -n "$sandbox_pid" ] && kill -9 "$sandbox_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

fail() { echo "e2e apps FAILED: $*" >&2; [ -f "$work/cli.out" ] && tail -n 20 "$work/cli.out" >&2; [ -f "$work/server.out" ] && tail -n 20 "$work/server.out" >&2; exit 1; }
. "$(dirname "$0")/lib.sh"
field() { sed -n "s/^$1: //p" "$work/cli.out" | head -n1; }  # field NAME: from the last command's key: value lines

good_secret="E2ELARKgoodSecret0001"
encrypt_key="E2ELARKencryptKey0001"
wrong_secret="E2ELARKwrongSecret0002"
robot_key="E2EWECOMrobotKey0003"
secrets=("$good_secret" "$encrypt_key" "$wrong_secret" "$robot_key")
cat >"$work/seed.json" <<JSON
{"lark": {"apps": [{"app_id": "cli_e2egood", "app_secret": "$good_secret"},
                   {"app_id": "cli_e2ewrong", "app_secret": "the sandbox's own secret"}],
          "users": [{"open_id": "ou_e2e", "name": "E2E"}]}}
JSON
"$bin" sandbox --port 0 --seed "$work/seed.json" >"$work/sandbox.out" 2>/dev/null &
sandbox_pid=$!
for _ in $(seq 1 300); do grep -q "listening on" "$work/sandbox.out" 2>/dev/null && break; sleep 0.05; done
sandbox=$(sed -n 's/^sandbox listening on //p' "$work/sandbox.out")
[ -n "$sandbox" ] || fail "the sandbox did not start"

# at_terminal ANSWER... -- COMMAND...: runs COMMAND on a pseudo-terminal and types each ANSWER once
# a prompt (output ending in ": ") shows; what the terminal shows goes to cli.out.
at_terminal() {
  python3 -c '
import os, pty, sys
args = sys.argv[1:]
answers, argv = args[:args.index("--")], args[args.index("--") + 1:]
pid, fd = pty.fork()
if pid == 0:
    os.execvp(argv[0], argv)
shown = b""
while True:
    try:
        chunk = os.read(fd, 4096)
    except OSError:
        break
    if not chunk:
        break
    shown += chunk
    if answers and shown.endswith(b": "):
        os.write(fd, answers.pop(0).encode() + b"\n")
sys.stdout.write(shown.decode(errors="replace"))
sys.exit(os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]))
' "$@" >"$work/cli.out"
}

check() {  # check NAME ENV...
  local name=$1; shift
  echo "-- $name"
  local cli_all="$work/cli.all"; : >"$cli_all"
  yz() { env "$@" >"$work/cli.out" 2>&1; local status=$?; cat "$work/cli.out" >>"$cli_all"; return $status; }
  run() { yz "${server_env[@]}" "$bin" "$@"; }
  # The sandbox listens on the loopback interface, which apps may not call unless allowed.
  server_env=("YIZHAN_PROVIDERS_ALLOWED_HOSTS=127.0.0.1" "$@")
  port=$(free_port)
  env "${server_env[@]}" "$bin" serve --port "$port" >"$work/server.out" 2>&1 &
  pid=$!
  wait_ready "$port" "$pid" "$name"
  if [ -z "$master_key" ]; then
    grep -q "no master key is configured.*master.key" "$work/server.out" || fail "$name: the log does not say which master key is used"
  fi
  local base="http://127.0.0.1:$port/api/v1"
  echo "the owner's password" | run tenants create --code acme --name Acme --owner-email o@acme.test --owner-password-stdin \
    || fail "$name: tenants create"
  local token; token=$(curl -s -H 'Content-Type: application/json' \
    -d '{"tenant":"acme","email":"o@acme.test","password":"the owner'"'"'s password"}' "$base/auth/login" | json 'd["data"]["access_token"]') \
    || fail "$name: owner login"
  api() { curl -s -H "Authorization: Bearer $token" "$base$1"; }

  # Secrets never from a flag.
  if run apps add --tenant acme --provider lark --name Refused --set app_id=cli_e2egood --set "app_secret=$good_secret" </dev/null; then
    fail "$name: a secret was taken from --set"
  fi
  grep -q "is a secret" "$work/cli.out" || fail "$name: the refusal does not say why"
  if run apps add --tenant acme --provider lark --name Refused --set app_id=cli_e2egood </dev/null; then
    fail "$name: an app was added without secrets from a non-terminal"
  fi
  # An app may not point at a host the operator did not allow (here the cloud metadata address).
  if echo '{"app_secret": "x"}' | run apps add --tenant acme --provider lark --name Refused --base-url http://169.254.169.254 \
    --set app_id=cli_e2egood --secrets-stdin; then
    fail "$name: an app was pointed at a host the operator did not allow"
  fi
  grep -q "providers.allowedHosts" "$work/cli.out" || fail "$name: the egress refusal does not say how to allow a host"

  echo "{\"app_secret\": \"$good_secret\", \"encrypt_key\": \"$encrypt_key\"}" \
    | run apps add --tenant acme --provider lark --name "E2E good" --base-url "$sandbox" --set app_id=cli_e2egood --secrets-stdin \
    || fail "$name: apps add (stdin)"
  local good; good=$(field id)
  [[ "$good" == app_* ]] || fail "$name: apps add printed no id"
  [ "$(field secrets_set)" = "app_secret,encrypt_key" ] || fail "$name: secrets_set is '$(field secrets_set)'"
  ( umask 077; echo "{\"app_secret\": \"$wrong_secret\"}" >"$work/wrong.json" )
  run apps add --tenant acme --provider lark --name "E2E wrong" --base-url "$sandbox" --set app_id=cli_e2ewrong --secrets-file "$work/wrong.json" \
    || fail "$name: apps add (file)"
  local wrong; wrong=$(field id)

  at_terminal "$robot_key" -- env "${server_env[@]}" "$bin" apps add --tenant acme --provider wecom_robot --name "E2E robot" \
    || fail "$name: apps add (typed at a terminal)"
  cat "$work/cli.out" >>"$cli_all"
  grep -q "^key: " "$work/cli.out" || fail "$name: apps add did not ask for the robot's key"
  local robot; robot=$(field id | tr -d '\r')
  [[ "$robot" == app_* ]] && [ "$(field secrets_set | tr -d '\r')" = key ] || fail "$name: apps add (typed at a terminal)"

  run apps list --tenant acme || fail "$name: apps list"
  grep -q "^$good"$'\tlark\tactive\tE2E good\tapp_id=cli_e2egood$' "$work/cli.out" || fail "$name: apps list lacks the good app"
  [ "$(wc -l <"$work/cli.out")" = 3 ] || fail "$name: apps list has $(wc -l <"$work/cli.out") lines"
  [ "$(api "/apps" | json '",".join(sorted(i["id"] for i in d["data"]["items"]))')" = "$(printf '%s\n' "$good" "$wrong" "$robot" | sort | paste -sd,)" ] \
    || fail "$name: /api/v1/apps does not list the 3 apps"
  run apps show --tenant acme --id "$good" || fail "$name: apps show"
  [ "$(field app_id)" = cli_e2egood ] && [ "$(field callback_path)" = "/callbacks/lark/$good" ] || fail "$name: apps show"

  run apps verify --tenant acme --id "$good" || fail "$name: verify of the good app failed"
  [ "$(field ok)" = true ] && [ "$(field provider_code)" = 0 ] && [ -n "$(field latency_ms)" ] || fail "$name: verify of the good app"
  if run apps verify --tenant acme --id "$wrong"; then fail "$name: verify of a wrong secret exited 0"; fi
  [ "$(field ok)" = false ] && [ "$(field provider_code)" = 10014 ] || fail "$name: verify of a wrong secret"

  # yizhan send: queued by the command, sent by the running server's worker, followed to the end.
  run send --tenant acme --app "$good" --to open_id:ou_e2e --text "来自命令行" --wait 30 || fail "$name: yizhan send did not end sent"
  grep -q "^ended: sent$" "$work/cli.out" && grep -q $'^open_id:ou_e2e\tsent$' "$work/cli.out" || fail "$name: yizhan send printed: $(cat "$work/cli.out")"
  if run send --tenant acme --app "$good" --to open_id:ou_e2e --markdown x; then fail "$name: a message type Lark does not send was queued"; fi
  grep -q UNSUPPORTED_MESSAGE_TYPE "$work/cli.out" || fail "$name: the refusal does not name UNSUPPORTED_MESSAGE_TYPE"

  run apps disable --tenant acme --id "$good" || fail "$name: apps disable"
  [ "$(field status)" = disabled ] || fail "$name: disable printed status '$(field status)'"
  [ "$(api "/apps/$good" | json 'd["data"]["status"]')" = disabled ] || fail "$name: the server does not see the app disabled"
  if run apps verify --tenant acme --id "$good"; then fail "$name: a disabled app verified"; fi
  grep -q APP_DISABLED "$work/cli.out" || fail "$name: verify of a disabled app does not say APP_DISABLED"
  run apps enable --tenant acme --id "$good" || fail "$name: apps enable"
  [ "$(api "/apps/$good" | json 'd["data"]["status"]')" = active ] || fail "$name: the server does not see the app enabled"
  [ "$(api "/audit-logs?action=app.disable" | json 'd["data"]["items"][0]["target_id"]')" = "$good" ] || fail "$name: no app.disable audit entry"

  # Rotation while the server runs: the new key first, the old one after; then the new one alone opens them.
  local old new; new=$("$bin" keys generate)
  old=${master_key:-$(cat "$work/data/master.key")}
  yz "${server_env[@]}" "YIZHAN_MASTER_KEY=$new,$old" "$bin" keys rotate || fail "$name: keys rotate"
  grep -q "^app secrets *resealed 3 " "$work/cli.out" || fail "$name: keys rotate did not reseal the 3 apps"
  yz "${server_env[@]}" "YIZHAN_MASTER_KEY=$new" "$bin" apps verify --tenant acme --id "$good" || fail "$name: the new key alone does not open the app"
  if yz "${server_env[@]}" "YIZHAN_MASTER_KEY=$old" "$bin" keys rotate; then fail "$name: a rotation with the new key missing exited 0"; fi
  grep -q "key $(yz_id "$new"): 3" "$work/cli.out" || fail "$name: the missing key is not reported by id"

  run apps remove --tenant acme --id "$good" || fail "$name: apps remove"
  [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Authorization: Bearer $token" "$base/apps/$good")" = 404 ] || fail "$name: the removed app is still served"
  run apps remove --tenant acme --id "$wrong" || fail "$name: apps remove"
  run apps remove --tenant acme --id "$robot" || fail "$name: apps remove"
  [ "$(api "/apps" | json 'd["data"]["pagination"]["total"]')" = 0 ] || fail "$name: /api/v1/apps is not empty"

  kill -TERM "$pid"; wait "$pid" || fail "$name: stop"
  pid=""
  for secret in "${secrets[@]}"; do
    if grep -qF -- "$secret" "$cli_all" "$work/server.out"; then fail "$name: a secret reached a command's output or the server's log"; fi
  done
  echo "   apps add (stdin, file, terminal; never a flag)/list/show/verify/disable/enable/remove as the API sees them, send, keys rotate, no secret printed"
}

# The key id of a master key: the first 8 hex digits of the SHA-256 of its bytes.
yz_id() { python3 -c "import base64,hashlib,sys; print(hashlib.sha256(base64.b64decode(sys.argv[1])).hexdigest()[:8])" "$1"; }

master_key=""
check sqlite "YIZHAN_DATA_DIR=$work/data"
if [ -n "${YIZHAN_TEST_POSTGRES_URL:-}" ]; then
  database="yizhan_e2e_apps_$$"
  psql "$YIZHAN_TEST_POSTGRES_URL" -qc "CREATE DATABASE $database" >/dev/null
  url=$(python3 -c "import sys,urllib.parse as u; p=u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path='/$database')))" "$YIZHAN_TEST_POSTGRES_URL")
  master_key="AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
  check postgres "YIZHAN_DATABASE_URL=$url" "YIZHAN_MASTER_KEY=$master_key"
  psql "$YIZHAN_TEST_POSTGRES_URL" -qc "DROP DATABASE $database" >/dev/null
fi
kill -TERM "$sandbox_pid"; wait "$sandbox_pid" 2>/dev/null || true
sandbox_pid=""
echo "e2e apps: all checks passed"
