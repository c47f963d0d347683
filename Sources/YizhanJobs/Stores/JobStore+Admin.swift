import Foundation
import SQLKit
import YizhanStorage

extension JobStore {
    /// Jobs matching `filter`, newest first, after the cursor `before` (an id); only the tenant's
    /// when `tenantID` is given.
    func list(filter: JobFilter, tenantID: String?, before: Int64?, limit: Int, in work: UnitOfWork) async throws -> [Job] {
        var condition: SQLQueryString = "1 = 1"
        if let tenantID { condition += " AND tenant_id = \(bind: tenantID)" }
        if let queue = filter.queue { condition += " AND queue = \(bind: queue)" }
        if let kind = filter.kind { condition += " AND kind = \(bind: kind)" }
        if let state = filter.state { condition += " AND state = \(bind: state.rawValue)" }
        if let before { condition += " AND id < \(bind: before)" }
        return try await work.raw("SELECT * FROM jobs WHERE \(condition) ORDER BY id DESC LIMIT \(bind: Int64(limit))")
            .all().map { try Self.decode($0) }
    }

    /// Makes a waiting or final job available now (with one more attempt if it used them all);
    /// for a tenant's caller (`tenantID` given) only a `discarded` or `cancelled` one: a tenant
    /// neither runs a completed job again nor pulls a waiting one ahead of its retry hint.
    /// Returns whether it changed.
    func retryNow(id: Int64, tenantID: String?, now: Date, in work: UnitOfWork) async throws -> Bool {
        var query: SQLQueryString = """
            UPDATE jobs SET state = 'available', run_at = \(bind: Timestamp.milliseconds(now)), finalized_at = NULL,
                cancel_requested_at = NULL,
                max_attempts = CASE WHEN attempt >= max_attempts THEN attempt + 1 ELSE max_attempts END
            WHERE id = \(bind: id) AND \(unsafeRaw: JobTransition.retryNow.sourceCondition)
            """
        if let tenantID {
            query += " AND tenant_id = \(bind: tenantID) AND state IN (\(unsafeRaw: JobState.sqlList(Self.tenantRetryable)))"
        }
        return try await !work.raw(query + " RETURNING id").all().isEmpty
    }

    /// The states a tenant's caller may retry a job from.
    static let tenantRetryable: [JobState] = [.discarded, .cancelled]

    /// Cancels a waiting job at once; marks a running one for its worker to stop. Returns whether
    /// it changed.
    func cancel(id: Int64, tenantID: String?, now: Date, in work: UnitOfWork) async throws -> Bool {
        let stamp = Timestamp.milliseconds(now)
        var tenant: SQLQueryString = ""
        if let tenantID { tenant = " AND tenant_id = \(bind: tenantID)" }
        let waiting = try await work.raw("""
            UPDATE jobs SET state = 'cancelled', finalized_at = \(bind: stamp), cancel_requested_at = \(bind: stamp)
            WHERE id = \(bind: id) AND \(unsafeRaw: JobTransition.cancelWaiting.sourceCondition)\(tenant) RETURNING id
            """).all()
        if !waiting.isEmpty { return true }
        let running = try await work.raw("""
            UPDATE jobs SET cancel_requested_at = \(bind: stamp)
            WHERE id = \(bind: id) AND state = 'running' AND cancel_requested_at IS NULL\(tenant) RETURNING id
            """).all()
        return !running.isEmpty
    }

    /// Deletes up to `limit` final jobs finalized before `cutoff`; returns how many.
    func deleteFinal(before cutoff: Date, limit: Int, in work: UnitOfWork) async throws -> Int {
        try await work.raw("""
            DELETE FROM jobs WHERE id IN (
                SELECT id FROM jobs WHERE finalized_at IS NOT NULL AND finalized_at < \(bind: Timestamp.milliseconds(cutoff))
                LIMIT \(bind: Int64(limit)))
            RETURNING id
            """).all().count
    }
}

/// Which jobs to list; `nil` matches any.
package struct JobFilter: Sendable, Equatable {
    package var queue: String?
    package var kind: String?
    package var state: JobState?

    package init(queue: String? = nil, kind: String? = nil, state: JobState? = nil) {
        self.queue = queue
        self.kind = kind
        self.state = state
    }
}
