import Foundation
import YizhanCore
import YizhanStorage

/// What operators do with jobs and queues: look, retry, cancel, pause. Each method takes the
/// tenant whose jobs the caller may see, or `nil` for the platform (every job).
package struct JobAdmin: Sendable {
    private let database: any Database
    private let clock: any TimeSource
    private let wakeups: JobWakeups
    private let store = JobStore()
    private let queues = QueueStore()

    package init(database: any Database, clock: any TimeSource, wakeups: JobWakeups) {
        self.database = database
        self.clock = clock
        self.wakeups = wakeups
    }

    /// One job. Throws `NOT_FOUND` when it does not exist or is another tenant's.
    package func job(id: Int64, tenantID: String?) async throws -> Job {
        let store = store
        guard let job = try await database.withConnection({ try await store.job(id: id, tenantID: tenantID, in: $0) }) else {
            throw Self.notFound(id)
        }
        return job
    }

    /// A page of jobs, newest first; pass the last id of a page as `before` for the next one.
    package func list(filter: JobFilter, tenantID: String?, before: Int64?, limit: Int) async throws -> [Job] {
        try await page(filter: filter, tenantID: tenantID, before: before, limit: limit).jobs
    }

    /// A page of jobs, newest first (1 to 200), and the `before` of the next page: `nil` when this
    /// page is the last (one job more than the page is read to tell).
    package func page(
        filter: JobFilter, tenantID: String?, before: Int64?, limit: Int
    ) async throws -> (jobs: [Job], nextBefore: Int64?) {
        let store = store
        let limit = min(max(1, limit), 200)
        let jobs = try await database.withConnection { work in
            try await store.list(filter: filter, tenantID: tenantID, before: before, limit: limit + 1, in: work)
        }
        guard jobs.count > limit else { return (jobs, nil) }
        let page = Array(jobs.prefix(limit))
        return (page, page.last?.id)
    }

    /// Writes what an operator did (an audit entry) in the transaction of the change, so both
    /// commit or neither; given the job as the change left it.
    package typealias JobRecord = @Sendable (Job, UnitOfWork) async throws -> Void

    /// Runs a waiting or final job again now. Throws `NOT_FOUND`, or `CONFLICT` when it is running
    /// or already available, or another job holds its unique key. `record` runs when it changed.
    package func retry(id: Int64, tenantID: String?, record: JobRecord? = nil) async throws -> Job {
        let (store, now) = (store, clock.now())
        let (changed, job): (Bool, Job)
        do {
            (changed, job) = try await change(id, tenantID: tenantID, record: record) { work in
                try await store.retryNow(id: id, tenantID: tenantID, now: now, in: work)
            }
        } catch let error as DatabaseError where error.code == .uniqueViolation {
            throw YizhanError(.conflict, "Another job holds job \(id)'s unique key.")
        }
        guard changed else {
            if tenantID != nil, JobTransition.retryNow.sources.contains(job.state) {
                throw YizhanError(
                    .conflict,
                    "Job \(id) is \(job.state.rawValue); a tenant may retry only a discarded or cancelled job "
                        + "(a completed one would run again, a waiting one runs when due).")
            }
            throw YizhanError(.conflict, "Job \(id) is \(job.state.rawValue); it cannot be retried now.")
        }
        await signal(job.queue)
        return job
    }

    /// Cancels a waiting job, or asks the worker of a running one to stop it (it ends `cancelled`
    /// within a lease-extension interval). Throws `NOT_FOUND`, or `CONFLICT` for a final job.
    /// `record` runs when it changed (not for a running job already asked to stop).
    package func cancel(id: Int64, tenantID: String?, record: JobRecord? = nil) async throws -> Job {
        let (store, now) = (store, clock.now())
        let (changed, job) = try await change(id, tenantID: tenantID, record: record) { work in
            try await store.cancel(id: id, tenantID: tenantID, now: now, in: work)
        }
        guard changed || job.state == .running else {
            throw YizhanError(.conflict, "Job \(id) is \(job.state.rawValue); it cannot be cancelled.")
        }
        return job
    }

    /// Runs `update` on job `id` in one transaction with reading it back and, when it changed,
    /// `record`. Throws `NOT_FOUND` when the job does not exist or is another tenant's.
    private func change(
        _ id: Int64, tenantID: String?, record: JobRecord?, _ update: @escaping @Sendable (UnitOfWork) async throws -> Bool
    ) async throws -> (changed: Bool, job: Job) {
        let store = store
        let (changed, job) = try await database.transaction { work in
            let changed = try await update(work)
            let job = try await store.job(id: id, tenantID: tenantID, in: work)
            if changed, let job, let record { try await record(job, work) }
            return (changed, job)
        }
        guard let job else { throw Self.notFound(id) }
        return (changed, job)
    }

    /// Pauses `queue`: its workers claim nothing until it is resumed. `record` runs in the same
    /// transaction.
    package func pause(queue: String, record: (@Sendable (UnitOfWork) async throws -> Void)? = nil) async throws {
        try await setPaused(queue, true, record: record)
    }

    /// Resumes `queue`.
    package func resume(queue: String, record: (@Sendable (UnitOfWork) async throws -> Void)? = nil) async throws {
        try await setPaused(queue, false, record: record)
        await signal(queue)
    }

    /// Every queue's depth per state, age of its oldest due job, and whether it is paused.
    package func queueSummaries(tenantID: String?) async throws -> [QueueSummary] {
        let (queues, now) = (queues, clock.now())
        return try await database.withConnection { work in try await queues.summaries(tenantID: tenantID, now: now, in: work) }
    }

    /// One queue's summary (over every tenant's jobs); an unknown queue is empty and not paused.
    package func queueSummary(_ name: String) async throws -> QueueSummary {
        try await queueSummaries(tenantID: nil).first { $0.name == name } ?? QueueSummary(name: name, paused: false)
    }

    /// Deletes final jobs finalized more than `retention` ago, `batch` rows at a time; returns how many.
    @discardableResult
    package func deleteFinal(olderThan retention: Duration, batch: Int = 10_000) async throws -> Int {
        let (store, cutoff) = (store, clock.now().addingTimeInterval(-retention.seconds))
        var total = 0
        while true {
            let deleted = try await database.transaction { work in
                try await store.deleteFinal(before: cutoff, limit: batch, in: work)
            }
            total += deleted
            if deleted < batch { return total }
        }
    }

    private func setPaused(_ queue: String, _ paused: Bool, record: (@Sendable (UnitOfWork) async throws -> Void)?) async throws {
        let (queues, now) = (queues, clock.now())
        try await database.transaction { work in
            try await queues.setPaused(queue, paused, now: now, in: work)
            try await record?(work)
        }
    }

    /// Wakes the queue's producers here, and (PostgreSQL) everywhere.
    private func signal(_ queue: String) async {
        try? await database.withConnection { work in try await JobSQL.notify([queue], in: work) }
        wakeups.signal(queue)
    }

    static func notFound(_ id: Int64) -> YizhanError {
        YizhanError(.notFound, "No job \(id).")
    }
}
