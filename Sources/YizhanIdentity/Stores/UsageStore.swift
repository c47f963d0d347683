import SQLKit
import YizhanStorage

/// Counters of what tenants used per period (`tenant_usage`), changed atomically on both engines.
struct UsageStore {
    /// Adds `amount` to the counter unless that takes it over `limit`; returns the new total, or
    /// `nil` (and changes nothing) when it would exceed the limit.
    ///
    /// One statement does the check and the change: PostgreSQL's `ON CONFLICT DO UPDATE … WHERE`
    /// locks the row, SQLite runs it under the write lock, so concurrent callers never overshoot.
    func add(_ amount: Int, tenantID: String, metric: String, period: String, limit: Int?, in work: UnitOfWork) async throws -> Int? {
        if let limit, amount > limit { return nil }
        let ceiling = Int64(limit ?? Int.max)
        let row = try await work.raw("""
            INSERT INTO tenant_usage (tenant_id, metric, period, used)
            VALUES (\(bind: tenantID), \(bind: metric), \(bind: period), \(bind: Int64(amount)))
            ON CONFLICT (tenant_id, metric, period) DO UPDATE SET used = tenant_usage.used + excluded.used
            WHERE tenant_usage.used + excluded.used <= \(bind: ceiling)
            RETURNING used
            """).first()
        return try row.map { Int(try $0.decode(column: "used", as: Int64.self)) }
    }

    /// The counter's value (0 when nothing was used).
    func used(tenantID: String, metric: String, period: String, in work: UnitOfWork) async throws -> Int {
        let row = try await work.raw("""
            SELECT used FROM tenant_usage
            WHERE tenant_id = \(bind: tenantID) AND metric = \(bind: metric) AND period = \(bind: period)
            """).first()
        return Int(try row?.decode(column: "used", as: Int64.self) ?? 0)
    }
}
