import Foundation
import SQLKit
import Synchronization
import YizhanStorage

/// What a handler knows about the attempt it runs, and how it records completion transactionally.
package final class JobContext: Sendable {
    /// The job as claimed (its `attempt` counts this one).
    package let job: Job
    /// The worker running it.
    package let worker: String
    private let clock: @Sendable () -> Date
    private let completedInTransaction = Mutex(false)

    init(job: Job, worker: String, clock: @escaping @Sendable () -> Date) {
        self.job = job
        self.worker = worker
        self.clock = clock
    }

    /// Marks the job completed inside `work`, so the handler's own writes and the completion commit
    /// together: when the transaction commits the job is done exactly once; when it rolls back (or
    /// the process dies first) the job runs again. Throws ``JobsError/lostLease`` when the job is no
    /// longer this attempt's (the rescuer gave it to another worker): let it propagate so the
    /// transaction rolls back.
    package func complete(in work: UnitOfWork) async throws {
        let outcome = AttemptOutcome(
            id: job.id, attempt: job.attempt, new_attempt: job.attempt, state: JobState.completed.rawValue,
            run_at: Timestamp.milliseconds(job.runAt), message: nil, at: Timestamp.milliseconds(clock()))
        let changed = try await JobStore().finish([outcome], worker: worker, now: clock(), in: work)
        guard changed == 1 else { throw JobsError.lostLease(job.id) }
        work.afterCommit { self.completedInTransaction.withLock { $0 = true } }
    }

    /// Checks inside `work` that this attempt still holds the job (and locks its row on
    /// PostgreSQL until `work` ends): a handler's progress written after the rescuer gave the job to
    /// another worker would overwrite that worker's. Throws ``JobsError/lostLease`` otherwise: let it
    /// propagate so the transaction rolls back.
    package func holdLease(in work: UnitOfWork) async throws {
        let lock = work.engine == .postgres ? " FOR UPDATE" : ""
        let row = try await work.raw("""
            SELECT id FROM jobs WHERE id = \(bind: job.id) AND \(unsafeRaw: JobTransition.complete.sourceCondition)
                AND attempted_by = \(bind: worker) AND attempt = \(bind: job.attempt)\(unsafeRaw: lock)
            """).first()
        guard row != nil else { throw JobsError.lostLease(job.id) }
    }

    /// Whether ``complete(in:)`` committed.
    var isCompleted: Bool { completedInTransaction.withLock { $0 } }
}
