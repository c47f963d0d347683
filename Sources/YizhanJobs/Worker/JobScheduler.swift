import Foundation
import Logging
import YizhanCore
import YizhanStorage

/// Enqueues periodic jobs. One worker process leads (a lease row in `job_leaders`, renewed while it
/// lives and taken over by another once it expires); the leader enqueues each due tick in a
/// transaction that also moves the job's `last_tick` from the value it read, so a tick is enqueued
/// once even if two processes briefly both believe they lead. A tick missed while no process ran
/// is enqueued once, for the latest missed time; older ones are skipped.
struct JobScheduler: Sendable {
    static let leaderName = "cron"

    let database: any Database
    let queue: JobQueue
    let periodic: [PeriodicJob]
    let holder: String
    let lease: Duration
    let clock: any TimeSource
    let logger: Logger

    /// One round: take or renew leadership, then enqueue what is due. Returns whether this process leads.
    @discardableResult
    func tick() async throws -> Bool {
        let now = clock.now()
        let (leaders, name, holder, until) = (LeaderStore(), Self.leaderName, holder, now.addingTimeInterval(lease.seconds))
        let leads = try await database.write { work in
            try await leaders.acquire(name, holder: holder, now: now, until: until, in: work)
        }
        guard leads else { return false }
        for job in periodic { try await enqueueDue(job, now: now) }
        return true
    }

    private func enqueueDue(_ periodic: PeriodicJob, now: Date) async throws {
        let (leaders, queue) = (LeaderStore(), queue)
        let enqueued = try await database.transaction { work -> Date? in
            let last = try await leaders.lastTick(periodic.name, initial: now, in: work)
            var due: Date?
            var cursor = last
            while let next = periodic.schedule.next(after: cursor), next <= now {
                due = next
                cursor = next
            }
            guard let due else { return nil }
            guard try await leaders.advance(periodic.name, from: last, to: due, in: work) else { return nil }
            var job = try periodic.job(due)
            job.uniqueKey = job.uniqueKey ?? "cron:\(periodic.name):\(Timestamp.milliseconds(due))"
            try await queue.enqueue(job, in: work)
            return due
        }
        if let enqueued {
            logger.debug("enqueued a periodic job", metadata: ["name": "\(periodic.name)", "tick": "\(enqueued)"])
        }
    }

    /// Gives leadership up.
    func resign() async {
        let (leaders, name, holder) = (LeaderStore(), Self.leaderName, holder)
        try? await database.write { work in try await leaders.release(name, holder: holder, in: work) }
    }
}
