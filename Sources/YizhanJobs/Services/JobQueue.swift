import Foundation
import YizhanCore
import YizhanStorage

/// Enqueues jobs inside the caller's transaction, so a row and the job that acts on it commit
/// together or not at all.
///
/// ```swift
/// try await database.transaction { work in
///     try await messages.insert(message, in: work)
///     try await jobs.enqueue(SendMessage.self, .init(messageID: message.id), in: work)
/// }
/// ```
package struct JobQueue: Sendable {
    /// The most jobs one insert statement carries; larger batches take a few.
    package static let batchSize = 5000
    /// The queue of housekeeping jobs (pruning), run one at a time beside the others.
    package static let maintenanceQueue = "maintenance"

    private let clock: any TimeSource
    private let wakeups: JobWakeups
    private let store = JobStore()

    package init(clock: any TimeSource, wakeups: JobWakeups) {
        self.clock = clock
        self.wakeups = wakeups
    }

    /// Enqueues a job for `Handler` in `work`; with a unique key already held by a non-final job,
    /// inserts nothing and returns that job.
    @discardableResult
    package func enqueue<Handler: JobHandler>(
        _ handler: Handler.Type, _ args: Handler.Args, options: JobOptions = .init(), in work: UnitOfWork
    ) async throws -> EnqueueResult {
        try await enqueue(try NewJob(handler, args, options: options), in: work)
    }

    /// Enqueues `job` in `work`.
    @discardableResult
    package func enqueue(_ job: NewJob, in work: UnitOfWork) async throws -> EnqueueResult {
        try Self.validate(job)
        let now = clock.now()
        let result = try await store.insert(job, now: now, in: work)
        if case .inserted = result { try await wake([job], now: now, in: work) }
        return result
    }

    /// Enqueues many jobs in `work`, ``batchSize`` to a statement; jobs whose unique key is held are
    /// skipped. Returns how many were inserted.
    @discardableResult
    package func enqueue(many jobs: [NewJob], in work: UnitOfWork) async throws -> Int {
        for job in jobs { try Self.validate(job) }
        let now = clock.now()
        var inserted = 0
        var start = 0
        while start < jobs.count {
            let end = min(start + Self.batchSize, jobs.count)
            inserted += try await store.insert(many: Array(jobs[start..<end]), now: now, in: work)
            start = end
        }
        try await wake(jobs, now: now, in: work)
        return inserted
    }

    /// Tells the producers of the queues that got due jobs, once `work` commits.
    private func wake(_ jobs: [NewJob], now: Date, in work: UnitOfWork) async throws {
        let queues = Set(jobs.filter { ($0.runAt ?? now) <= now }.map(\.queue))
        guard !queues.isEmpty else { return }
        try await JobSQL.notify(queues, in: work)
        let wakeups = wakeups
        work.afterCommit { for queue in queues { wakeups.signal(queue) } }
    }

    static func validate(_ job: NewJob) throws {
        guard !job.queue.isEmpty, job.queue.count <= 128, !job.kind.isEmpty, job.kind.count <= 128 else {
            throw JobsError(.invalidJob, "A job needs a queue and a kind of 1 to 128 characters.")
        }
        guard job.maxAttempts >= 1 else { throw JobsError(.invalidJob, "A job needs at least one attempt.") }
    }
}
