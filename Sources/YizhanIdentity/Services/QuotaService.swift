import Foundation
import YizhanCore
import YizhanStorage

/// Tenant quotas that are used up over time, consumed atomically on both engines.
package struct QuotaService: Sendable {
    /// A quota that is counted per period.
    package enum Metric: String, Sendable, CaseIterable {
        /// Messages accepted per UTC day; limited by `max_daily_messages`.
        case dailyMessages = "daily_messages"
    }

    /// The state of a counter after a successful consume.
    package struct Usage: Sendable, Equatable {
        package var used: Int
        package var limit: Int?
        package var resetsAt: Date
    }

    private let database: any Database
    private let clock: any TimeSource
    private let tenants = TenantStore()
    private let usage = UsageStore()

    init(database: any Database, clock: any TimeSource) {
        self.database = database
        self.clock = clock
    }

    /// Counts `amount` against the tenant's quota.
    /// - Throws: `QUOTA_EXCEEDED` (with `limit`, `used`, `reset_at` and `Retry-After`) when it would
    ///   go over; nothing is counted then. `NOT_FOUND` for an unknown tenant.
    @discardableResult
    package func consume(tenantID: String, _ metric: Metric, _ amount: Int = 1) async throws -> Usage {
        try await database.transaction { work in try await consume(tenantID: tenantID, metric, amount, in: work) }
    }

    /// Counts `amount` against the tenant's quota in the caller's transaction, so what uses the
    /// quota and the count commit together (a rolled-back send counts nothing).
    /// - Throws: As ``consume(tenantID:_:_:)``; the caller's transaction should roll back then.
    @discardableResult
    package func consume(tenantID: String, _ metric: Metric, _ amount: Int = 1, in work: UnitOfWork) async throws -> Usage {
        precondition(amount >= 0, "amount must not be negative")
        let now = clock.now()
        let (period, resetsAt) = Self.period(of: metric, at: now)
        guard let tenant = try await tenants.tenant(id: tenantID, in: work) else { throw TenantService.notFound(tenantID) }
        let limit = Self.limit(of: metric, tenant.quotas)
        if let used = try await usage.add(amount, tenantID: tenantID, metric: metric.rawValue, period: period, limit: limit, in: work) {
            return Usage(used: used, limit: limit, resetsAt: resetsAt)
        }
        let current = try await usage.used(tenantID: tenantID, metric: metric.rawValue, period: period, in: work)
        let retryAfter = max(1, Int(resetsAt.timeIntervalSince(now).rounded(.up)))
        throw YizhanError(
            .quotaExceeded,
            "The tenant's \(metric.rawValue) quota of \(limit ?? 0) is used up until \(resetsAt.formatted(.iso8601)).",
            details: [
                "quota": .string(metric.rawValue), "limit": .int(limit ?? 0), "used": .int(current),
                "requested": .int(amount), "reset_at": .string(resetsAt.formatted(.iso8601)),
            ],
            headers: ["Retry-After": String(retryAfter)])
    }

    /// What the tenant used of `metric` in the current period.
    package func usage(tenantID: String, _ metric: Metric) async throws -> Int {
        let period = Self.period(of: metric, at: clock.now()).name
        return try await database.withConnection { work in
            try await usage.used(tenantID: tenantID, metric: metric.rawValue, period: period, in: work)
        }
    }

    static func limit(of metric: Metric, _ quotas: TenantQuotas) -> Int? {
        switch metric {
        case .dailyMessages: quotas.maxDailyMessages
        }
    }

    /// The period's name (`2026-11-24`, UTC) and when it ends.
    static func period(of metric: Metric, at date: Date) -> (name: String, resetsAt: Date) {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        let start = calendar.startOfDay(for: date)
        let parts = calendar.dateComponents([.year, .month, .day], from: start)
        let name = String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
        return (name, calendar.date(byAdding: .day, value: 1, to: start) ?? start.addingTimeInterval(86_400))
    }
}
