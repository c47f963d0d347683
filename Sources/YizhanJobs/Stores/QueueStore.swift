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

    /// Every queue that has jobs or a pause row, with its depth per state (only the tenant's jobs
    /// when `tenantID` is given) and the age of its oldest due job.
    func summaries(tenantID: String?, now: Date, in work: UnitOfWork) async throws -> [QueueSummary] {
        let stamp = Timestamp.milliseconds(now)
        var tenant: SQLQueryString = ""
        if let tenantID { tenant = " AND tenant_id = \(bind: tenantID)" }
        let counts = try await work.raw("""
            SELECT queue, state, COUNT(*) AS n,
                MIN(CASE WHEN state IN (\(unsafeRaw: JobState.sqlList(JobState.pending))) AND run_at <= \(bind: stamp) THEN run_at END) AS oldest
            FROM jobs WHERE 1 = 1\(tenant) GROUP BY queue, state
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
            var summary = summaries[name] ?? QueueSummary(name: name, paused: false)
            summary.depth[state] = Int(try row.decode(column: "n", as: Int64.self))
            if let oldest = try row.decode(column: "oldest", as: Int64?.self) {
                let age = Double(stamp - oldest) / 1000
                summary.oldestAvailableAge = max(summary.oldestAvailableAge ?? 0, age)
            }
            summaries[name] = summary
        }
        return summaries.values.sorted { $0.name < $1.name }
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
}
