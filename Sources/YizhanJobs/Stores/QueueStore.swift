import Foundation
import SQLKit
import YizhanStorage

/// `job_queues`: which queues are paused; and the depth of every queue.
struct QueueStore {
    /// Pauses or resumes `queue` (a paused queue's jobs wait; running ones finish).
    func setPaused(_ queue: String, _ paused: Bool, now: Date, in work: UnitOfWork) async throws {
        let stamp = Timestamp.milliseconds(now)
        let pausedAt: Int64? = paused ? stamp : nil
        try await work.raw("""
            INSERT INTO job_queues (name, paused_at, updated_at) VALUES (\(bind: queue), \(bind: pausedAt), \(bind: stamp))
            ON CONFLICT (name) DO UPDATE SET paused_at = excluded.paused_at, updated_at = excluded.updated_at
            """).run()
    }

    /// Every queue that has jobs or a pause row, with its depth per state and the age of its oldest
    /// due job; when `tenantID` is given, only the queues holding the tenant's jobs, counting only
    /// those (the names of queues the platform paused are not a tenant's to see).
    func summaries(tenantID: String?, now: Date, in work: UnitOfWork) async throws -> [QueueSummary] {
        let stamp = Timestamp.milliseconds(now)
        var tenant: SQLQueryString = ""
        if let tenantID { tenant = " AND tenant_id = \(bind: tenantID)" }
        // Two statements, so the counts read only the (queue, state) index and the oldest due job
        // only the claim index over pending jobs: a scrape of the metrics runs this too, and final
        // jobs pile up until their retention.
        let counts = try await work.raw("SELECT queue, state, COUNT(*) AS n FROM jobs WHERE 1 = 1\(tenant) GROUP BY queue, state")
            .all()
        let oldest = try await work.raw("""
            SELECT queue, MIN(run_at) AS oldest FROM jobs
            WHERE state IN (\(unsafeRaw: JobState.sqlList(JobState.pending))) AND run_at <= \(bind: stamp)\(tenant)
            GROUP BY queue
            """).all()
        let pauses = try await work.raw("SELECT name, paused_at FROM job_queues").all()
        var summaries: [String: QueueSummary] = [:]
        for row in pauses {
            let name = try row.decode(column: "name", as: String.self)
            summaries[name] = QueueSummary(name: name, paused: try row.decode(column: "paused_at", as: Int64?.self) != nil)
        }
        for row in counts {
            let name = try row.decode(column: "queue", as: String.self)
            guard let state = JobState(rawValue: try row.decode(column: "state", as: String.self)) else { continue }
            summaries[name, default: QueueSummary(name: name, paused: false)].depth[state] = Int(try row.decode(column: "n", as: Int64.self))
        }
        for row in oldest {
            let name = try row.decode(column: "queue", as: String.self)
            guard let runAt = try row.decode(column: "oldest", as: Int64?.self) else { continue }
            summaries[name]?.oldestAvailableAge = Double(stamp - runAt) / 1000
        }
        return summaries.values.filter { tenantID == nil || !$0.depth.isEmpty }.sorted { $0.name < $1.name }
    }
}

/// One queue at a glance.
package struct QueueSummary: Sendable, Equatable {
    package var name: String
    package var paused: Bool
    /// Jobs per state (states with none are absent).
    package var depth: [JobState: Int] = [:]
    /// Seconds the oldest due job has waited, if one waits.
    package var oldestAvailableAge: TimeInterval?

    package init(name: String, paused: Bool, depth: [JobState: Int] = [:], oldestAvailableAge: TimeInterval? = nil) {
        self.name = name
        self.paused = paused
        self.depth = depth
        self.oldestAvailableAge = oldestAvailableAge
    }
}
