import Foundation
import SQLKit
import YizhanCore
import YizhanStorage

/// Tenants, on either engine. Like every store it holds no connection: each method runs on the
/// unit of work its service passes in.
struct TenantStore {
    /// Inserts a new tenant; `CONFLICT` when the code is taken.
    func insert(_ tenant: Tenant, in work: UnitOfWork) async throws {
        if try await work.raw("SELECT id FROM tenants WHERE code = \(bind: tenant.code)").first() != nil {
            throw YizhanError(.conflict, "A tenant with code '\(tenant.code)' exists.", details: ["field": "code"])
        }
        try await work.raw("""
            INSERT INTO tenants (id, code, name, status, max_apps, max_accounts, max_daily_messages, created_at, updated_at)
            VALUES (\(bind: tenant.id), \(bind: tenant.code), \(bind: tenant.name), \(bind: tenant.status.rawValue),
                    \(bind: tenant.quotas.maxApps), \(bind: tenant.quotas.maxAccounts), \(bind: tenant.quotas.maxDailyMessages),
                    \(bind: Timestamp.milliseconds(tenant.createdAt)), \(bind: Timestamp.milliseconds(tenant.updatedAt)))
            """).run()
    }

    /// The tenant with `id`.
    func tenant(id: String, in work: UnitOfWork) async throws -> Tenant? {
        try await work.raw("SELECT * FROM tenants WHERE id = \(bind: id)").first().map(Self.decode)
    }

    /// The tenant with `code`.
    func tenant(code: String, in work: UnitOfWork) async throws -> Tenant? {
        try await work.raw("SELECT * FROM tenants WHERE code = \(bind: code)").first().map(Self.decode)
    }

    /// Tenants whose code or name contains `search`, by code.
    func list(search: String?, status: Tenant.Status?, page: PageRequest, in work: UnitOfWork) async throws -> Page<Tenant> {
        var filter: SQLQueryString = "1 = 1"
        if let search, !search.isEmpty {
            let pattern = containsPattern(search)
            filter += " AND (LOWER(code) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(name) LIKE \(bind: pattern) ESCAPE '\\')"
        }
        if let status { filter += " AND status = \(bind: status.rawValue)" }
        let total = try await work.raw("SELECT COUNT(*) AS n FROM tenants WHERE \(filter)").first()?
            .decode(column: "n", as: Int.self) ?? 0
        let rows = try await work.raw("""
            SELECT * FROM tenants WHERE \(filter) ORDER BY code
            LIMIT \(bind: page.pageSize) OFFSET \(bind: page.offset)
            """).all()
        return Page(items: try rows.map(Self.decode), total: total, page: page.page, pageSize: page.pageSize)
    }

    /// Applies `changes`; `nil` when there is no such tenant.
    func update(id: String, _ changes: TenantChanges, now: Date, in work: UnitOfWork) async throws -> Tenant? {
        guard var tenant = try await tenant(id: id, in: work) else { return nil }
        if let name = changes.name { tenant.name = name }
        if let status = changes.status { tenant.status = status }
        if let value = changes.maxApps { tenant.quotas.maxApps = value }
        if let value = changes.maxAccounts { tenant.quotas.maxAccounts = value }
        if let value = changes.maxDailyMessages { tenant.quotas.maxDailyMessages = value }
        tenant.updatedAt = now
        try await work.raw("""
            UPDATE tenants SET name = \(bind: tenant.name), status = \(bind: tenant.status.rawValue),
                max_apps = \(bind: tenant.quotas.maxApps), max_accounts = \(bind: tenant.quotas.maxAccounts),
                max_daily_messages = \(bind: tenant.quotas.maxDailyMessages),
                updated_at = \(bind: Timestamp.milliseconds(tenant.updatedAt))
            WHERE id = \(bind: id)
            """).run()
        return tenant
    }

    /// Locks the tenant's row until the transaction ends (PostgreSQL), so changes that must keep a
    /// tenant-wide rule true (another owner remains) are serialised. SQLite's transactions hold the
    /// database's write lock from `BEGIN IMMEDIATE`, which serialises them already. `FOR NO KEY
    /// UPDATE` leaves inserts that reference the tenant (foreign-key checks) unblocked.
    func lock(id: String, in work: UnitOfWork) async throws {
        guard work.engine == .postgres else { return }
        try await work.raw("SELECT id FROM tenants WHERE id = \(bind: id) FOR NO KEY UPDATE").run()
    }

    static func decode(_ row: any SQLRow) throws -> Tenant {
        let status = try row.decode(column: "status", as: String.self)
        return Tenant(
            id: try row.decode(column: "id", as: String.self),
            code: try row.decode(column: "code", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            status: Tenant.Status(rawValue: status) ?? .suspended,
            quotas: TenantQuotas(
                maxApps: try row.decode(column: "max_apps", as: Int?.self),
                maxAccounts: try row.decode(column: "max_accounts", as: Int?.self),
                maxDailyMessages: try row.decode(column: "max_daily_messages", as: Int?.self)),
            createdAt: Timestamp.date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
            updatedAt: Timestamp.date(milliseconds: try row.decode(column: "updated_at", as: Int64.self)))
    }
}
