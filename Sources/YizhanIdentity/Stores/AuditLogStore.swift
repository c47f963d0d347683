import Foundation
import SQLKit
import YizhanCore
import YizhanStorage

/// The append-only audit log.
struct AuditLogStore {
    /// Appends an entry.
    func append(_ entry: AuditEntry, in work: UnitOfWork) async throws {
        try await work.raw("""
                INSERT INTO audit_logs (id, tenant_id, actor_type, actor_id, actor_label, action, outcome, target_type,
                    target_id, client_address, request_id, details, occurred_at)
                VALUES (\(bind: entry.id), \(bind: entry.tenantID), \(bind: entry.actorType), \(bind: entry.actorID),
                    \(bind: entry.actorLabel), \(bind: entry.action), \(bind: entry.outcome), \(bind: entry.targetType),
                    \(bind: entry.targetID), \(bind: entry.clientAddress), \(bind: entry.requestID),
                    \(bind: StoredJSON.encode(entry.details)), \(bind: Timestamp.milliseconds(entry.occurredAt)))
                """).run()
    }

    /// Deletes up to `limit` entries that occurred before `cutoff`; returns how many.
    func deleteOlder(than cutoff: Date, limit: Int, in work: UnitOfWork) async throws -> Int {
        try await work.raw("""
            DELETE FROM audit_logs WHERE id IN (
                SELECT id FROM audit_logs WHERE occurred_at < \(bind: Timestamp.milliseconds(cutoff)) LIMIT \(bind: limit))
            RETURNING id
            """).all().count
    }

    /// The tenant's entries matching `filter`, newest first.
    func list(tenantID: String, filter: AuditFilter, page: PageRequest, in work: UnitOfWork) async throws -> Page<AuditEntry> {
        var condition: SQLQueryString = "tenant_id = \(bind: tenantID)"
        if let action = filter.action { condition += " AND action = \(bind: action)" }
        if let actorID = filter.actorID { condition += " AND actor_id = \(bind: actorID)" }
        if let targetID = filter.targetID { condition += " AND target_id = \(bind: targetID)" }
        if let outcome = filter.outcome { condition += " AND outcome = \(bind: outcome)" }
        if let since = filter.since { condition += " AND occurred_at >= \(bind: Timestamp.milliseconds(since))" }
        if let until = filter.until { condition += " AND occurred_at < \(bind: Timestamp.milliseconds(until))" }
        let total = try await work.raw("SELECT COUNT(*) AS n FROM audit_logs WHERE \(condition)").first()?
            .decode(column: "n", as: Int.self) ?? 0
        let rows = try await work.raw("""
            SELECT * FROM audit_logs WHERE \(condition) ORDER BY occurred_at DESC, id DESC
            LIMIT \(bind: page.pageSize) OFFSET \(bind: page.offset)
            """).all()
        return Page(items: try rows.map(Self.decode), total: total, page: page.page, pageSize: page.pageSize)
    }

    static func decode(_ row: any SQLRow) throws -> AuditEntry {
        AuditEntry(
            id: try row.decode(column: "id", as: String.self),
            tenantID: try row.decode(column: "tenant_id", as: String?.self),
            actorType: try row.decode(column: "actor_type", as: String.self),
            actorID: try row.decode(column: "actor_id", as: String?.self),
            actorLabel: try row.decode(column: "actor_label", as: String?.self),
            action: try row.decode(column: "action", as: String.self),
            outcome: try row.decode(column: "outcome", as: String.self),
            targetType: try row.decode(column: "target_type", as: String?.self),
            targetID: try row.decode(column: "target_id", as: String?.self),
            clientAddress: try row.decode(column: "client_address", as: String?.self),
            requestID: try row.decode(column: "request_id", as: String?.self),
            details: (try? StoredJSON.decode([String: String].self, from: try row.decode(column: "details", as: String.self))) ?? [:],
            occurredAt: Timestamp.date(milliseconds: try row.decode(column: "occurred_at", as: Int64.self)))
    }
}
