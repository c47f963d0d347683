import Foundation
import Logging
import SQLKit
import Synchronization
@testable import YizhanJobs
import YizhanCore
import YizhanStorage
import YizhanTesting

/// What the job tests migrate: storage's settings and the job tables.
let jobsMigrations = SettingsSchema.migrations + JobsSchema.migrations

/// A job queue on a test database with a clock the test moves, and handlers that record what they did.
struct JobsFixture: Sendable {
    let database: any Database
    let clock: ManualTimeSource
    let wakeups = JobWakeups()
    let queue: JobQueue
    let admin: JobAdmin
    let log = RunLog()

    init(database: any Database, clock: ManualTimeSource = ManualTimeSource()) {
        self.database = database
        self.clock = clock
        self.queue = JobQueue(clock: clock, wakeups: wakeups)
        self.admin = JobAdmin(database: database, clock: clock, wakeups: wakeups)
    }

    /// The test handlers, all recording into ``log``.
    var registry: JobRegistry {
        var registry = JobRegistry()
        registry.register(Echo(log: log))
        registry.register(Scripted(log: log))
        registry.register(Sleeper())
        registry.register(Recording(log: log, database: database))
        return registry
    }

    func worker(
        queues: [String: Int] = ["default": 4], lease: Duration = .seconds(30), drainTimeout: Duration = .seconds(5),
        workerID: String = "test-worker"
    ) -> JobWorker {
        JobWorker(
            database: database, registry: registry,
            configuration: .init(
                queues: queues, pollInterval: .milliseconds(50), lease: lease, rescueInterval: .seconds(3600),
                drainTimeout: drainTimeout, workerID: workerID),
            clock: clock, wakeups: wakeups, logger: TestDatabase.logger)
    }

    /// Runs `worker` around `body`, then drains it.
    func running<Result: Sendable>(
        _ worker: JobWorker, _ body: @Sendable () async throws -> Result
    ) async throws -> Result {
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await worker.run() }
            do {
                let result = try await body()
                worker.beginDrain()
                try await group.waitForAll()
                return result
            } catch {
                worker.beginDrain()
                try? await group.waitForAll()
                throw error
            }
        }
    }

    @discardableResult
    func enqueue<Handler: JobHandler>(_ handler: Handler.Type, _ args: Handler.Args, options: JobOptions = .init()) async throws -> Int64 {
        let queue = queue
        return try await database.transaction { work in
            try await queue.enqueue(handler, args, options: options, in: work)
        }.id
    }

    func job(_ id: Int64) async throws -> Job { try await admin.job(id: id, tenantID: nil) }

    /// Waits (polling, up to 20 s) until job `id` satisfies `condition`, then returns it.
    @discardableResult
    func waitFor(_ id: Int64, _ condition: @Sendable (Job) -> Bool = { $0.state.isFinal }) async throws -> Job {
        for _ in 0..<1000 {
            let job = try await job(id)
            if condition(job) { return job }
            try await Task.sleep(for: .milliseconds(20))
        }
        let job = try await job(id)
        throw Timeout(job: job)
    }

    func waitFor(_ id: Int64, state: JobState) async throws -> Job {
        try await waitFor(id) { $0.state == state }
    }

    struct Timeout: Error { var job: Job }
}

/// What handlers did, in order.
final class RunLog: Sendable {
    private let entries = Mutex<[String]>([])
    func append(_ entry: String) { entries.withLock { $0.append(entry) } }
    var all: [String] { entries.withLock { $0 } }
}

/// Completes at once.
struct Echo: JobHandler {
    struct Args: Codable, Sendable { var text: String }
    static let kind = "test.echo"
    let log: RunLog
    func run(_ args: Args, context: JobContext) async throws -> JobOutcome {
        log.append("echo \(args.text) #\(context.job.attempt)")
        return .completed
    }
}

/// Does what its arguments say.
struct Scripted: JobHandler {
    enum Action: String, Codable, Sendable { case fail, snooze, retryAfter, cancel, sleep, failOnce }
    struct Args: Codable, Sendable { var action: Action; var seconds: Double = 0 }
    static let kind = "test.scripted"
    static let maxAttempts = 3
    static let timeout: Duration = .milliseconds(300)
    struct Boom: Error, CustomStringConvertible { var description: String { "boom" } }
    let log: RunLog

    func run(_ args: Args, context: JobContext) async throws -> JobOutcome {
        log.append("\(args.action.rawValue) #\(context.job.attempt)")
        switch args.action {
        case .fail: throw Boom()
        case .failOnce: if context.job.attempt == 1 { throw Boom() }; return .completed
        case .snooze: return .snooze(until: context.job.runAt.addingTimeInterval(args.seconds))
        case .retryAfter: return .retry(after: .seconds(args.seconds), reason: "rate limited")
        case .cancel: return .cancel(reason: "not wanted")
        case .sleep:
            try await Task.sleep(for: .seconds(args.seconds))
            return .completed
        }
    }

    func backoff(attempt: Int) -> Duration { .seconds(10 * attempt) }
}

/// Sleeps as long as its arguments say, with a timeout far longer: only a cancel or a drain ends
/// it early, however slow the machine.
struct Sleeper: JobHandler {
    struct Args: Codable, Sendable { var seconds: Double }
    static let kind = "test.sleeper"
    static let timeout: Duration = .seconds(120)

    func run(_ args: Args, context: JobContext) async throws -> JobOutcome {
        try await Task.sleep(for: .seconds(args.seconds))
        return .completed
    }
}

/// Records its job id in `job_effects` in the transaction that completes the job.
struct Recording: JobHandler {
    struct Args: Codable, Sendable { var delayMilliseconds: Int = 0 }
    static let kind = "test.recording"
    let log: RunLog
    let database: any Database

    func run(_ args: Args, context: JobContext) async throws -> JobOutcome {
        if args.delayMilliseconds > 0 { try await Task.sleep(for: .milliseconds(args.delayMilliseconds)) }
        try await database.transaction { work in
            try await work.raw("INSERT INTO job_effects (job_id) VALUES (\(bind: context.job.id))").run()
            try await context.complete(in: work)
        }
        log.append("recorded \(context.job.id)")
        return .completed
    }

}
