# Shared by the benchmark scripts that run servers under wrk; sourced, not run.

# release_binary PRODUCT: builds the product with the production flags, prints its path. Called in
# a command substitution, where `set -e` does not reach: a failed build must return, not go on to
# print the path of a stale binary.
release_binary() {
  scripts/build-release --product "$1" >/dev/null || return
  echo ".build/release/$1"
}

require_wrk() {
  command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
}

free_port() {
  python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()'
}

# cpu_ticks PID: user + system CPU time of the process, in clock ticks.
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# The VM's slow phases are the hypervisor running something else on our cores: /proc/stat counts
# that time as steal. steal_mark prints a mark; steal_percent MARK prints the share of all CPU time
# since the mark that was stolen, so each measurement can say whether the machine was its own.
steal_mark() { awk '/^cpu / {print $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9}' /proc/stat; }
steal_percent() {
  local now
  now=$(steal_mark)
  python3 -c "a, b = '$1'.split(), '$now'.split(); print(round(100 * (int(b[0]) - int(a[0])) / max(1, int(b[1]) - int(a[1]))))"
}

# start_throwaway_postgres: a PostgreSQL cluster of its own in a temporary directory, started as
# ./scripts/test starts one (installing Debian's package when missing and this is root), with
# fsync off (the shared development server's setting; commits still wait for the WAL write).
# Sets bench_pg_url (the `postgres` database) and bench_pg_dir; stop_throwaway_postgres removes it.
bench_pg_dir=""
as_pg() {
  if [ "$(id -u)" = "0" ]; then runuser -u postgres -- "$@"; else "$@"; fi
}
find_pg_bin() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  return 1
}
start_throwaway_postgres() {
  local port
  if ! bench_pg_bin=$(find_pg_bin); then
    [ "$(id -u)" = "0" ] || { echo "error: PostgreSQL is missing and this is not root; install postgresql" >&2; return 1; }
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
    bench_pg_bin=$(find_pg_bin) || { echo "error: PostgreSQL installation failed" >&2; return 1; }
  fi
  bench_pg_dir=$(mktemp -d /tmp/yizhan-bench-pg.XXXXXX)
  chmod 755 "$bench_pg_dir"
  [ "$(id -u)" = "0" ] && chown postgres "$bench_pg_dir"
  port=$(free_port)
  as_pg "$bench_pg_bin/initdb" -D "$bench_pg_dir/data" -U yizhan --auth=trust -E UTF8 --locale=C.UTF-8 >"$bench_pg_dir/initdb.log" 2>&1 \
    || { cat "$bench_pg_dir/initdb.log" >&2; return 1; }
  as_pg "$bench_pg_bin/pg_ctl" -D "$bench_pg_dir/data" -l "$bench_pg_dir/server.log" -w -t 60 \
    -o "-p $port -k $bench_pg_dir -c listen_addresses=127.0.0.1 -c max_connections=500 -c fsync=off" \
    start >/dev/null || { cat "$bench_pg_dir/server.log" >&2; return 1; }
  bench_pg_url="postgres://yizhan@127.0.0.1:$port/postgres"
}
stop_throwaway_postgres() {
  [ -n "$bench_pg_dir" ] || return 0
  as_pg "$bench_pg_bin/pg_ctl" -D "$bench_pg_dir/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$bench_pg_dir"
}
