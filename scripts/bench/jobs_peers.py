"""The peers of scripts/bench/jobs.sh: the same two workloads as `yizhan-bench jobs`, through
pgqueuer and procrastinate on the same PostgreSQL, each set up for throughput as its docs advise.

  jobs_peers.py pgqueuer|procrastinate DSN burn COUNT PROCESSES CONCURRENCY
  jobs_peers.py pgqueuer|procrastinate DSN latency RATE SECONDS CONCURRENCY

burn: COUNT no-op jobs enqueued in batches, then PROCESSES worker processes (started and connected
before the clock starts) drain them; the time runs until every process has exited, its outcomes
written. latency: RATE jobs a second for SECONDS seconds, one enqueue per call, each carrying the
wall-clock time its enqueue began; a worker in the same process (woken by its LISTEN/NOTIFY, as
both libraries do) records how long until the handler started; the first second is warm-up.

CONCURRENCY: pgqueuer — `batch_size` of each of 5 dequeuing QueueManagers per process (its own
benchmark tool's layout, asyncpg driver; `max_concurrent_tasks` unset); procrastinate — the
worker's `concurrency` (sub-workers), with a connection pool as large.

Prints one `RESULT` line per run, in the format of `yizhan-bench jobs`.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import sys
import time

import uvloop

ENQUEUE_BATCH = 10_000
PGQUEUER_DEQUEUERS = 5


def now_us() -> int:
    return time.time_ns() // 1000


def latency_result(system: str, samples: list[int], rate: int) -> str:
    ordered = sorted(samples)

    def percentile(p: float) -> float:
        index = min(len(ordered) - 1, max(0, -(-int(p * len(ordered) * 1000) // 1000) - 1))
        return ordered[index] / 1000

    return (
        f"RESULT {system} postgres latency samples={len(ordered)} rate={rate} "
        f"p50_ms={percentile(0.5):.2f} p99_ms={percentile(0.99):.2f} max_ms={percentile(1):.2f}"
    )


async def analyze(dsn: str) -> None:
    import asyncpg

    connection = await asyncpg.connect(dsn)
    await connection.execute("ANALYZE")
    await connection.close()


async def fetch_count(dsn: str, query: str) -> int:
    import asyncpg

    connection = await asyncpg.connect(dsn)
    result = await connection.fetchval(query)
    await connection.close()
    return result


# pgqueuer ------------------------------------------------------------------------------------


async def pgqueuer_prepare(dsn: str) -> None:
    import asyncpg
    from pgqueuer import AsyncpgDriver, Queries

    connection = await asyncpg.connect(dsn)
    queries = Queries(AsyncpgDriver(connection))
    if not await queries.has_table("pgqueuer"):
        await queries.install()
        await queries.optimize_autovacuum()  # `pgq autovac`, the performance guide's first item
    await queries.clear_queue()
    await queries.clear_statistics_log()
    await connection.close()


async def pgqueuer_enqueue(dsn: str, count: int) -> None:
    import asyncpg
    from pgqueuer import AsyncpgDriver, Queries

    connection = await asyncpg.connect(dsn)
    queries = Queries(AsyncpgDriver(connection))
    left = count
    while left > 0:
        n = min(left, ENQUEUE_BATCH)
        await queries.enqueue(["noop"] * n, [None] * n, [0] * n)
        left -= n
    await connection.close()


async def pgqueuer_consumers(dsn: str, batch_size: int, on_job, ready=None, go=None, mode=None):
    import asyncpg
    from pgqueuer import AsyncpgDriver, PgQueuer
    from pgqueuer.domain import types

    managers = []
    for _ in range(PGQUEUER_DEQUEUERS):
        manager = PgQueuer(AsyncpgDriver(await asyncpg.connect(dsn)))
        manager.entrypoint("noop")(on_job)
        manager.entrypoint("stamped")(on_job)
        managers.append(manager)
    if ready is not None:
        ready.wait()
        go.wait()
    mode = mode or types.QueueExecutionMode.continuous
    return managers, [
        manager.run(batch_size=batch_size, mode=mode) for manager in managers
    ]


def pgqueuer_burn_process(dsn: str, batch_size: int, ready, go) -> None:
    from pgqueuer.domain import types

    async def noop(job) -> None:
        return None

    async def main() -> None:
        _, runs = await pgqueuer_consumers(
            dsn, batch_size, noop, ready, go, types.QueueExecutionMode.drain
        )
        await asyncio.gather(*runs)

    uvloop.run(main())


async def pgqueuer_latency(dsn: str, rate: int, seconds: int, batch_size: int) -> None:
    import asyncpg
    from pgqueuer import AsyncpgDriver, Queries

    total = rate * seconds
    samples: list[int] = []
    done = asyncio.Event()

    async def stamped(job) -> None:
        samples.append(now_us() - int(job.payload))
        if len(samples) == total:
            done.set()

    managers, runs = await pgqueuer_consumers(dsn, batch_size, stamped)
    running = [asyncio.create_task(run) for run in runs]
    producer = Queries(AsyncpgDriver(await asyncpg.connect(dsn)))
    await asyncio.sleep(0.3)
    start = time.monotonic()
    for index in range(total):
        await asyncio.sleep(max(0, start + index / rate - time.monotonic()))
        await producer.enqueue("stamped", str(now_us()).encode())
    await asyncio.wait_for(done.wait(), 120)
    for manager in managers:
        manager.shutdown.set()
    await asyncio.gather(*running)
    print(latency_result("pgqueuer", samples[rate:], rate), flush=True)


# procrastinate -------------------------------------------------------------------------------


def procrastinate_app(dsn: str, pool_size: int):
    import procrastinate

    app = procrastinate.App(
        connector=procrastinate.PsycopgConnector(
            conninfo=dsn, min_size=min(4, pool_size), max_size=pool_size
        )
    )
    return app


async def procrastinate_prepare(dsn: str) -> None:
    import asyncpg

    app = procrastinate_app(dsn, 2)
    async with app.open_async():
        connection = await asyncpg.connect(dsn)
        installed = await connection.fetchval("SELECT to_regclass('procrastinate_jobs') IS NOT NULL")
        if not installed:
            await app.schema_manager.apply_schema_async()
        await connection.execute("TRUNCATE procrastinate_jobs CASCADE")
        await connection.close()


async def procrastinate_enqueue(dsn: str, count: int) -> None:
    app = procrastinate_app(dsn, 2)

    @app.task(name="noop")
    async def noop() -> None:
        return None

    async with app.open_async():
        left = count
        while left > 0:
            n = min(left, ENQUEUE_BATCH)
            await noop.batch_defer_async(*([{}] * n))
            left -= n


def procrastinate_burn_process(dsn: str, concurrency: int, ready, go) -> None:
    async def main() -> None:
        app = procrastinate_app(dsn, concurrency)

        @app.task(name="noop")
        async def noop() -> None:
            return None

        async with app.open_async():
            ready.wait()
            go.wait()
            await app.run_worker_async(
                concurrency=concurrency, wait=False, install_signal_handlers=False, listen_notify=True
            )

    uvloop.run(main())


async def procrastinate_latency(dsn: str, rate: int, seconds: int, concurrency: int) -> None:
    total = rate * seconds
    samples: list[int] = []
    done = asyncio.Event()
    app = procrastinate_app(dsn, concurrency + 2)

    @app.task(name="stamped")
    async def stamped(at: int) -> None:
        samples.append(now_us() - at)
        if len(samples) == total:
            done.set()

    async with app.open_async():
        worker = asyncio.create_task(
            app.run_worker_async(
                concurrency=concurrency, install_signal_handlers=False, listen_notify=True
            )
        )
        await asyncio.sleep(0.3)
        start = time.monotonic()
        for index in range(total):
            await asyncio.sleep(max(0, start + index / rate - time.monotonic()))
            await stamped.defer_async(at=now_us())
        await asyncio.wait_for(done.wait(), 120)
        worker.cancel()
        try:
            await worker
        except asyncio.CancelledError:
            pass
    print(latency_result("procrastinate", samples[rate:], rate), flush=True)


# ---------------------------------------------------------------------------------------------


def burn(system: str, dsn: str, count: int, processes: int, concurrency: int) -> None:
    prepare, enqueue, target, remaining = {
        "pgqueuer": (
            pgqueuer_prepare,
            pgqueuer_enqueue,
            pgqueuer_burn_process,
            "SELECT count(*) FROM pgqueuer",
        ),
        "procrastinate": (
            procrastinate_prepare,
            procrastinate_enqueue,
            procrastinate_burn_process,
            "SELECT count(*) FROM procrastinate_jobs WHERE status <> 'succeeded'",
        ),
    }[system]
    asyncio.run(prepare(dsn))
    asyncio.run(enqueue(dsn, count))
    asyncio.run(analyze(dsn))
    context = multiprocessing.get_context("spawn")
    ready = context.Barrier(processes + 1)
    go = context.Event()
    workers = [
        context.Process(target=target, args=(dsn, concurrency, ready, go)) for _ in range(processes)
    ]
    for worker in workers:
        worker.start()
    ready.wait()
    start = time.perf_counter()
    go.set()
    for worker in workers:
        worker.join()
    elapsed = time.perf_counter() - start
    if any(worker.exitcode != 0 for worker in workers):
        sys.exit(f"{system}: a worker process failed")
    left = asyncio.run(fetch_count(dsn, remaining))
    if left:
        sys.exit(f"{system}: {left} jobs not done")
    print(
        f"RESULT {system} postgres burn jobs={count} seconds={elapsed:.3f} rate={count / elapsed:.0f} "
        f"processes={processes} concurrency={concurrency}",
        flush=True,
    )


def main() -> None:
    if len(sys.argv) != 7 or sys.argv[1] not in ("pgqueuer", "procrastinate"):
        sys.exit(__doc__)
    system, dsn, workload = sys.argv[1], sys.argv[2], sys.argv[3]
    a, b, c = (int(x) for x in sys.argv[4:7])
    if workload == "burn":
        burn(system, dsn, a, b, c)
    elif workload == "latency":
        prepare = pgqueuer_prepare if system == "pgqueuer" else procrastinate_prepare
        latency = pgqueuer_latency if system == "pgqueuer" else procrastinate_latency
        asyncio.run(prepare(dsn))
        uvloop.run(latency(dsn, a, b, c))
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
