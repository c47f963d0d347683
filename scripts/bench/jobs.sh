#!/usr/bin/env bash
# The job queue (issue 20) against pgqueuer and procrastinate on one PostgreSQL, and on SQLite
# against its floor, in one run:
#
#   burn-down   COUNT no-op jobs already enqueued (in batches, then ANALYZE), drained by one worker;
#               jobs/s from the worker's start until the last outcome is written. PostgreSQL:
#               Yizhan (one process, queue concurrency CONCURRENCY), pgqueuer (PEER_PROCESSES
#               processes × 5 QueueManagers, batch_size PGQUEUER_BATCH, asyncpg, `pgq autovac`) and
#               procrastinate (PEER_PROCESSES processes, concurrency PROCRASTINATE_CONCURRENCY, a pool
#               as large, LISTEN/NOTIFY; it drains PROCRASTINATE_COUNT jobs: at its rate 100,000 take
#               many minutes). SQLite (WAL, synchronous=NORMAL): Yizhan, and the floor — the same
#               claim and complete statements in a plain loop on one SQLiteNIO connection, claiming
#               CONCURRENCY at a time.
#   latency     enqueue→start under a steady trickle: RATE jobs/s for TRICKLE_SECONDS s, one enqueue
#               per transaction, each job stamped with the time its enqueue began; p50/p99 of the
#               time until its handler starts (first second is warm-up). PostgreSQL: every system is
#               woken by its LISTEN/NOTIFY (Yizhan enqueues through a second `Jobs`, as an API process
#               would); SQLite: one process, woken in process.
#
# Every system gets a fresh database on the same server, one after another; the summary prints each
# figure, the ratios issue 20 asks for, the steal over each run (scripts/bench/common.sh) and the
# 1-minute load average after it (other work inside the VM, which steal does not show). The machine
# is shared: read ratios within one run, not absolute figures across runs.
#
# Usage: scripts/bench/jobs.sh
#   YIZHAN_BENCH_POSTGRES_URL=postgres://user@host:port/postgres  use this server (databases
#       yizhan_bench_* are dropped and created on it); without it a throwaway cluster is started
#       as ./scripts/test starts one (installed from Debian's packages when missing).
#   COUNT=100000 CONCURRENCY=1000 RATE=100 TRICKLE_SECONDS=20 PEER_PROCESSES=2 PGQUEUER_BATCH=100
#   PROCRASTINATE_COUNT=10000 PROCRASTINATE_CONCURRENCY=30 ONLY=postgres|sqlite
#   BENCH=path/to/release/yizhan-bench to skip the build
set -euo pipefail
cd "$(dirname "$0")/../.."
source scripts/bench/common.sh
count=${COUNT:-100000}
concurrency=${CONCURRENCY:-1000}
rate=${RATE:-100}
trickle=${TRICKLE_SECONDS:-20}
peer_processes=${PEER_PROCESSES:-2}
pgqueuer_batch=${PGQUEUER_BATCH:-100}
procrastinate_count=${PROCRASTINATE_COUNT:-10000}
procrastinate_concurrency=${PROCRASTINATE_CONCURRENCY:-30}
only=${ONLY:-}
bench=${BENCH:-$(release_binary yizhan-bench)}

venv=.build/bench-venv
[ -x "$venv/bin/python" ] || python3 -m venv "$venv"
"$venv/bin/pip" install -q --disable-pip-version-check -r scripts/bench/jobs-requirements.txt
python="$venv/bin/python"

work=$(mktemp -d /tmp/yizhan-bench-jobs.XXXXXX)
trap 'stop_throwaway_postgres; rm -rf "$work"' EXIT
if [ "$only" != sqlite ]; then
  if [ -n "${YIZHAN_BENCH_POSTGRES_URL:-}" ]; then
    server=$YIZHAN_BENCH_POSTGRES_URL
  else
    start_throwaway_postgres
    server=$bench_pg_url
  fi
fi

# fresh_database NAME: drops and creates NAME on the server; prints its URL.
fresh_database() {
  "$python" - "$server" "$1" <<'PY'
import asyncio, sys, urllib.parse
import asyncpg
server, name = sys.argv[1], sys.argv[2]
async def main():
    connection = await asyncpg.connect(server)
    await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    await connection.execute(f'CREATE DATABASE "{name}"')
    await connection.close()
asyncio.run(main())
url = urllib.parse.urlsplit(server)
print(urllib.parse.urlunsplit((url.scheme, url.netloc, "/" + name, "sslmode=disable", "")))
PY
}

# measure LABEL COMMAND…: runs one measurement, keeps its RESULT line with the steal over it.
measure() {
  local label=$1 mark line
  shift
  mark=$(steal_mark)
  line=$("$@" 2>"$work/$label.err" | grep '^RESULT ') || { cat "$work/$label.err" >&2; echo "error: $label failed" >&2; exit 1; }
  echo "$line steal=$(steal_percent "$mark") load=$(cut -d" " -f1 /proc/loadavg)" | tee -a "$work/results"
}

if [ "$only" != sqlite ]; then
  echo "PostgreSQL: $("$python" -c "
import asyncio, asyncpg, sys
async def main():
    c = await asyncpg.connect(sys.argv[1])
    print(await c.fetchval('SELECT version()'), '| fsync', await c.fetchval('SHOW fsync'),
          '| synchronous_commit', await c.fetchval('SHOW synchronous_commit'))
    await c.close()
asyncio.run(main())" "$server" | cut -d' ' -f1-2,8-)"
  measure yizhan-pg-burn "$bench" jobs postgres "$(fresh_database yizhan_bench_jobs)" burn "$count" "$concurrency"
  measure pgqueuer-burn "$python" scripts/bench/jobs_peers.py pgqueuer "$(fresh_database yizhan_bench_pgqueuer)" \
    burn "$count" "$peer_processes" "$pgqueuer_batch"
  measure procrastinate-burn "$python" scripts/bench/jobs_peers.py procrastinate "$(fresh_database yizhan_bench_procrastinate)" \
    burn "$procrastinate_count" "$peer_processes" "$procrastinate_concurrency"
  measure yizhan-pg-latency "$bench" jobs postgres "$(fresh_database yizhan_bench_jobs)" latency "$rate" "$trickle" "$concurrency"
  measure pgqueuer-latency "$python" scripts/bench/jobs_peers.py pgqueuer "$(fresh_database yizhan_bench_pgqueuer)" \
    latency "$rate" "$trickle" "$pgqueuer_batch"
  measure procrastinate-latency "$python" scripts/bench/jobs_peers.py procrastinate "$(fresh_database yizhan_bench_procrastinate)" \
    latency "$rate" "$trickle" "$procrastinate_concurrency"
fi
if [ "$only" != postgres ]; then
  measure yizhan-sqlite-burn "$bench" jobs sqlite "$work/burn.sqlite" burn "$count" "$concurrency"
  measure floor-sqlite-burn "$bench" jobs sqlite "$work/floor.sqlite" floor "$count" "$concurrency"
  measure yizhan-sqlite-latency "$bench" jobs sqlite "$work/latency.sqlite" latency "$rate" "$trickle" "$concurrency"
fi

"$python" - "$work/results" <<'PY'
import sys
rows = {}
for line in open(sys.argv[1]):
    words = line.split()
    fields = dict(word.split("=", 1) for word in words[4:])
    rows[(words[1], words[2], words[3])] = fields
print()
print(f"{'system':<14} {'engine':<9} {'burn-down jobs/s':>17} {'latency p50 / p99 ms':>22} {'steal % (burn, latency)':>24}")
for system, engine in [("yizhan", "postgres"), ("pgqueuer", "postgres"), ("procrastinate", "postgres"),
                       ("yizhan", "sqlite"), ("floor", "sqlite")]:
    burn, latency = rows.get((system, engine, "burn")), rows.get((system, engine, "latency"))
    if not burn and not latency:
        continue
    rate = f"{int(burn['rate']):,}" if burn else "—"
    lat = f"{float(latency['p50_ms']):.1f} / {float(latency['p99_ms']):.1f}" if latency else "—"
    steal = " · ".join(row["steal"] if row else "—" for row in (burn, latency))
    print(f"{system:<14} {engine:<9} {rate:>17} {lat:>22} {steal:>24}")
def ratio(a, b, goal):
    if a in rows and b in rows:
        print(f"{a[0]} {a[1]} ÷ {b[0]}: {int(rows[a]['rate']) / int(rows[b]['rate']):.2f}× (goal {goal})")
print()
ratio(("yizhan", "postgres", "burn"), ("pgqueuer", "postgres", "burn"), "≥ 10×")
ratio(("yizhan", "postgres", "burn"), ("procrastinate", "postgres", "burn"), "≥ 50×")
ratio(("yizhan", "sqlite", "burn"), ("floor", "sqlite", "burn"), "the floor")
PY
