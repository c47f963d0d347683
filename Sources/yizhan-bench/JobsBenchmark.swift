import Foundation
import Logging
import NIOPosix
import SQLiteNIO
import SQLKit
import Synchronization
import YizhanCore
import YizhanJobs
import YizhanStorage
import YizhanStoragePostgres
import YizhanStorageSQLite

// The job queue's side of scripts/bench/jobs.sh: burn-down of jobs already enqueued, enqueue→start
// latency under a steady trickle, and (SQLite) the floor — the worker's claim and complete
// statements in a plain loop on one SQLiteNIO connection, with no worker around them. Each prints
// one `RESULT` line the script collects.

/// A no-op job; counts itself.
struct BenchNoopJob: JobHandler {
    struct Args: Codable, Sendable {}
    static let kind = "bench.noop"
    let tally: JobTally

    func run(_ args: Args, context: JobContext) async throws -> JobOutcome {
        tally.add()
        return .completed
    }
}

/// A job carrying the wall-clock time its enqueue began; records how long until it started.
struct BenchStampedJob: JobHandler {
    struct Args: Codable, Sendable {
        /// Microseconds since 1970.
        var at: Int64
    }
    static let kind = "bench.stamped"
    let latencies: LatencyLog
    let tally: JobTally

    func run(_ args: Args, context: JobContext) async throws -> JobOutcome {
        latencies.record(microsecondsNow() - args.at)
        tally.add()
        return .completed
    }
}

func microsecondsNow() -> Int64 { Int64((Date().timeIntervalSince1970 * 1_000_000).rounded()) }

/// Counts finished handlers and wakes one waiter when a target is reached.
final class JobTally: Sendable {
    private struct State {
        var count = 0
        var target: Int
        var waiter: CheckedContinuation<Void, Never>?
    }
    private let state: Mutex<State>

    init(target: Int) { state = Mutex(State(target: target)) }

    func add() {
        let waiter = state.withLock { state -> CheckedContinuation<Void, Never>? in
            state.count += 1
            guard state.count == state.target else { return nil }
            defer { state.waiter = nil }
            return state.waiter
        }
        waiter?.resume()
    }

    /// Returns once `target` handlers have finished.
    func wait() async {
        await withCheckedContinuation { continuation in
            let done = state.withLock { state -> Bool in
                if state.count >= state.target { return true }
                state.waiter = continuation
                return false
            }
            if done { continuation.resume() }
        }
    }
}

/// Latencies in microseconds, in arrival order.
final class LatencyLog: Sendable {
    private let values = Mutex<[Int64]>([])
    func record(_ microseconds: Int64) { values.withLock { $0.append(microseconds) } }
    var all: [Int64] { values.withLock { $0 } }
}

private let benchLogger: Logger = {
    var logger = Logger(label: "yizhan.bench.jobs")
    logger.logLevel = .warning
    return logger
}()

/// `yizhan-bench jobs ENGINE LOCATION burn COUNT CONCURRENCY` /
/// `… latency RATE SECONDS CONCURRENCY` / `yizhan-bench jobs sqlite PATH floor COUNT BATCH`.
func runJobsBenchmark(_ arguments: [String]) async throws {
    guard arguments.count >= 3, let engine = DatabaseEngine(rawValue: arguments[0]) else {
        throw BenchUsage()
    }
    let location = arguments[1]
    let numbers = arguments.dropFirst(3).compactMap { Int($0) }
    switch (arguments[2], numbers.count) {
    case ("burn", 2):
        try await jobsBurnDown(engine: engine, location: location, count: numbers[0], concurrency: numbers[1])
    case ("latency", 3):
        try await jobsLatency(
            engine: engine, location: location, rate: numbers[0], seconds: numbers[1], concurrency: numbers[2])
    case ("floor", 2) where engine == .sqlite:
        try await sqliteFloor(path: location, count: numbers[0], batch: numbers[1])
    default:
        throw BenchUsage()
    }
}

struct BenchUsage: Error, CustomStringConvertible {
    var description: String {
        "usage: yizhan-bench jobs ENGINE LOCATION burn COUNT CONCURRENCY | latency RATE SECONDS CONCURRENCY | floor COUNT BATCH"
    }
}

/// The database the bench runs on, migrated: a SQLite file (WAL, synchronous=NORMAL, as Yizhan
/// opens it) or a PostgreSQL URL.
private func openBenchDatabase(_ engine: DatabaseEngine, _ location: String, poolSize: Int) throws -> any Database {
    switch engine {
    case .sqlite:
        return try SQLiteDatabase(
            configuration: .init(path: location, poolSize: poolSize, acquireTimeout: .seconds(120)), logger: benchLogger)
    case .postgres:
        return PostgresDatabase(
            configuration: .init(url: try PostgresURL(location), poolSize: poolSize, acquireTimeout: .seconds(120)),
            logger: benchLogger)
    }
}

private func migrate(_ database: any Database) async throws {
    _ = try await Migrator(
        database: database, migrations: SettingsSchema.migrations + JobsSchema.migrations, logger: benchLogger
    ).migrate()
}

/// Enqueues `count` no-op jobs, 10,000 to a transaction, then refreshes PostgreSQL's statistics.
private func enqueueNoops(_ count: Int, jobs: Jobs, database: any Database) async throws {
    let job = try NewJob(BenchNoopJob.self, .init())
    var left = count
    while left > 0 {
        let batch = Array(repeating: job, count: min(left, 10_000))
        _ = try await database.transaction { work in try await jobs.queue.enqueue(many: batch, in: work) }
        left -= batch.count
    }
    if database.engine == .postgres {
        try await database.withConnection { work in try await work.raw("ANALYZE jobs").run() }
    }
}

private func workerConfiguration(concurrency: Int) -> JobWorkerConfiguration {
    JobWorkerConfiguration(queues: [JobOptions.defaultQueue: concurrency], workerID: "bench")
}

/// Runs `worker` until `tally` is full, then drains it (every outcome written); returns the time
/// from start to the end of the drain.
private func runUntilDone(_ worker: JobWorker, tally: JobTally, whileRunning: @escaping @Sendable () async throws -> Void = {})
    async throws -> Duration
{
    let start = ContinuousClock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await worker.run() }
        group.addTask { try await whileRunning() }
        await tally.wait()
        worker.beginDrain()
        try await group.waitForAll()
    }
    return ContinuousClock.now - start
}

private func completedCount(_ database: any Database) async throws -> Int {
    try await database.withConnection { work in
        try await work.raw("SELECT count(*) AS n FROM jobs WHERE state = 'completed'").first()!
            .decode(column: "n", as: Int.self)
    }
}

func jobsBurnDown(engine: DatabaseEngine, location: String, count: Int, concurrency: Int) async throws {
    let database = try openBenchDatabase(engine, location, poolSize: 8)
    try await database.whileRunning {
        try await migrate(database)
        let jobs = Jobs(database: database, clock: SystemTimeSource())
        try await enqueueNoops(count, jobs: jobs, database: database)
        let tally = JobTally(target: count)
        var registry = JobRegistry()
        registry.register(BenchNoopJob(tally: tally))
        let worker = jobs.worker(registry: registry, configuration: workerConfiguration(concurrency: concurrency), logger: benchLogger)
        let elapsed = try await runUntilDone(worker, tally: tally)
        let completed = try await completedCount(database)
        guard completed == count else { throw BenchFailure("\(completed) of \(count) jobs completed") }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        print(String(format: "RESULT yizhan %@ burn jobs=%d seconds=%.3f rate=%.0f concurrency=%d",
                     engine.rawValue, count, seconds, Double(count) / seconds, concurrency))
    }
}

/// Enqueues `rate` jobs a second for `seconds` seconds, one per transaction, each stamped with the
/// time its enqueue began; the first second is warm-up and not counted. PostgreSQL: enqueued
/// through a second `Jobs`, so the worker hears of them by `NOTIFY` as from an API process;
/// SQLite: through the worker's own (one process on the file, Yizhan's default deployment).
func jobsLatency(engine: DatabaseEngine, location: String, rate: Int, seconds: Int, concurrency: Int) async throws {
    let database = try openBenchDatabase(engine, location, poolSize: 8)
    try await database.whileRunning {
        try await migrate(database)
        let clock = SystemTimeSource()
        let workerJobs = Jobs(database: database, clock: clock)
        let enqueuer = engine == .postgres ? Jobs(database: database, clock: clock) : workerJobs
        let total = rate * seconds
        let tally = JobTally(target: total)
        let latencies = LatencyLog()
        var registry = JobRegistry()
        registry.register(BenchStampedJob(latencies: latencies, tally: tally))
        let worker = workerJobs.worker(
            registry: registry, configuration: workerConfiguration(concurrency: concurrency), logger: benchLogger)
        _ = try await runUntilDone(worker, tally: tally) {
            try await Task.sleep(for: .milliseconds(300))  // the worker is listening
            let start = ContinuousClock.now
            for index in 0..<total {
                try await Task.sleep(until: start + .microseconds(index * 1_000_000 / rate))
                let job = try NewJob(BenchStampedJob.self, .init(at: microsecondsNow()))
                try await database.transaction { work in _ = try await enqueuer.queue.enqueue(job, in: work) }
            }
        }
        let measured = Array(latencies.all.dropFirst(rate))
        print(latencyResult("yizhan", engine.rawValue, measured, rate: rate))
    }
}

func latencyResult(_ system: String, _ engine: String, _ microseconds: [Int64], rate: Int) -> String {
    let sorted = microseconds.sorted()
    func percentile(_ p: Double) -> Double {
        Double(sorted[min(sorted.count - 1, Int((p * Double(sorted.count)).rounded(.up)) - 1)]) / 1000
    }
    return String(format: "RESULT %@ %@ latency samples=%d rate=%d p50_ms=%.2f p99_ms=%.2f max_ms=%.2f",
                  system, engine, sorted.count, rate, percentile(0.5), percentile(0.99), percentile(1))
}

struct BenchFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

// MARK: The SQLite floor

/// The floor under the SQLite burn-down: `count` jobs enqueued by Yizhan, then claimed `batch` at a
/// time and completed with the statements `JobStore.claim` and `JobStore.finish` send (their text
/// for SQLite, copied), each in its own `BEGIN IMMEDIATE` transaction on one SQLiteNIO connection
/// opened as Yizhan opens its own — no pool, writer queue, SQLKit, tasks or handlers.
func sqliteFloor(path: String, count: Int, batch: Int) async throws {
    let database = try openBenchDatabase(.sqlite, path, poolSize: 2)
    try await database.whileRunning {
        try await migrate(database)
        try await enqueueNoops(count, jobs: Jobs(database: database, clock: SystemTimeSource()), database: database)
    }
    let threads = NIOThreadPool(numberOfThreads: 1)
    threads.start()
    let connection = try await SQLiteConnection.open(
        storage: .file(path: path), threadPool: threads, logger: benchLogger, on: MultiThreadedEventLoopGroup.singleton.any())
    for pragma in ["PRAGMA busy_timeout = 5000", "PRAGMA journal_mode = WAL", "PRAGMA synchronous = NORMAL", "PRAGMA foreign_keys = ON"] {
        _ = try await connection.query(pragma)
    }
    let claim = """
        UPDATE jobs SET state = 'running', attempt = jobs.attempt + 1, attempted_by = ?1,
            attempted_at = ?2, lease_expires_at = ?3
        WHERE id IN (SELECT id FROM jobs
            WHERE queue = ?4 AND state IN ('available', 'scheduled', 'retryable') AND run_at <= ?2
                AND NOT EXISTS (SELECT 1 FROM job_queues WHERE name = ?4 AND paused_at IS NOT NULL)
            ORDER BY priority, run_at, id
            LIMIT ?5)
        RETURNING *
        """
    let finish = """
        UPDATE jobs SET
            state = CASE WHEN jobs.cancel_requested_at IS NOT NULL AND r.state IN ('available', 'scheduled', 'retryable') THEN 'cancelled' ELSE r.state END,
            attempt = r.new_attempt,
            run_at = r.run_at,
            errors = CASE WHEN r.message IS NULL THEN jobs.errors ELSE json_insert(jobs.errors, '$[#]', json_object('at', r.at, 'attempt', r.attempt, 'message', r.message)) END,
            lease_expires_at = NULL,
            finalized_at = CASE WHEN jobs.cancel_requested_at IS NOT NULL AND r.state IN ('available', 'scheduled', 'retryable') OR r.state IN ('completed', 'cancelled', 'discarded') THEN ?1 ELSE NULL END
        FROM (SELECT json_extract(value, '$.id') AS id, json_extract(value, '$.attempt') AS attempt,
                json_extract(value, '$.new_attempt') AS new_attempt, json_extract(value, '$.state') AS state,
                json_extract(value, '$.run_at') AS run_at, json_extract(value, '$.message') AS message,
                json_extract(value, '$.at') AS at
            FROM json_each(?2)) AS r
        WHERE jobs.id = r.id AND jobs.state IN ('running') AND jobs.attempted_by = ?3 AND jobs.attempt = r.attempt
        RETURNING jobs.id
        """
    let worker = SQLiteData.text("floor")
    var done = 0
    let start = ContinuousClock.now
    while done < count {
        let now = Int64(Date().timeIntervalSince1970 * 1000)
        _ = try await connection.query("BEGIN IMMEDIATE")
        let claimed = try await connection.query(claim, [
            worker, .integer(SQLiteInt64(now)), .integer(SQLiteInt64(now + 30_000)), .text(JobOptions.defaultQueue),
            .integer(SQLiteInt64(batch)),
        ])
        _ = try await connection.query("COMMIT")
        guard !claimed.isEmpty else { throw BenchFailure("the floor found no job after \(done)") }
        var outcomes = "["
        for (index, row) in claimed.enumerated() {
            let id = row.column("id")?.integer ?? 0
            let attempt = row.column("attempt")?.integer ?? 0
            let runAt = row.column("run_at")?.integer ?? 0
            if index > 0 { outcomes += "," }
            outcomes += #"{"at":\#(now),"attempt":\#(attempt),"id":\#(id),"new_attempt":\#(attempt),"run_at":\#(runAt),"state":"completed"}"#
        }
        outcomes += "]"
        _ = try await connection.query("BEGIN IMMEDIATE")
        let finished = try await connection.query(finish, [.integer(SQLiteInt64(now)), .text(outcomes), worker])
        _ = try await connection.query("COMMIT")
        guard finished.count == claimed.count else { throw BenchFailure("the floor completed \(finished.count) of \(claimed.count)") }
        done += finished.count
    }
    let elapsed = ContinuousClock.now - start
    try await connection.close()
    try await threads.shutdownGracefully()
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    print(String(format: "RESULT floor sqlite burn jobs=%d seconds=%.3f rate=%.0f batch=%d",
                 count, seconds, Double(count) / seconds, batch))
}
