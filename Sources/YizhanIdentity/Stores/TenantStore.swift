import Foundation
import SQLKit
import YizhanCore
import YizhanStorage

/// Tenants, on either engine.
public struct TenantStore: Sendable {
    /// The fields a `PATCH` may change; `nil` leaves a field as it is.
    public struct Changes: Sendable {
        public var name: String?
        public var status: Tenant.Status?
        /// Each member, when given, replaces that quota (`.some(nil)` removes the limit).
        public var maxApps: Int??
        public var maxAccounts: Int??
        public var maxDailyMessages: Int??

        public init(
            name: String? = nil, status: Tenant.Status? = nil,
            maxApps: Int?? = nil, maxAccounts: Int?? = nil, maxDailyMessages: Int?? = nil
        ) {
            self.name = name
            self.status = status
            self.maxApps = maxApps
            self.maxAccounts = maxAccounts
            self.maxDailyMessages = maxDailyMessages
        }
    }

    private let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Creates a tenant; `CONFLICT` when the code is taken.
    public func create(code: String, name: String, quotas: TenantQuotas, on connection: (any SQLDatabase)? = nil) async throws -> Tenant {
        let now = Date()
        let tenant = Tenant(
            id: IdentityID.make("ten"), code: code, name: name, status: .active, quotas: quotas,
            createdAt: now, updatedAt: now)
        let insert: @Sendable (any SQLDatabase) async throws -> Void = { sql in
            if try await sql.raw("SELECT id FROM tenants WHERE code = \(bind: code)").first() != nil {
                throw YizhanError(.conflict, "A tenant with code '\(code)' exists.", details: ["field": "code"])
            }
            try await sql.raw("""
                INSERT INTO tenants (id, code, name, status, max_apps, max_accounts, max_daily_messages, created_at, updated_at)
                VALUES (\(bind: tenant.id), \(bind: code), \(bind: name), \(bind: tenant.status.rawValue),
                        \(bind: quotas.maxApps), \(bind: quotas.maxAccounts), \(bind: quotas.maxDailyMessages),
                        \(bind: Timestamp.milliseconds(now)), \(bind: Timestamp.milliseconds(now)))
                """).run()
        }
        if let connection {
            try await insert(connection)
        } else {
            try await UniqueTransaction.run(in: database, insert)
        }
        return tenant
    }

    /// The tenant with `id`.
    public func tenant(id: String) async throws -> Tenant? {
        try await database.withConnection { sql in
            try await sql.raw("SELECT * FROM tenants WHERE id = \(bind: id)").first().map(Self.decode)
        }
    }

    /// The tenant with `code`.
    public func tenant(code: String) async throws -> Tenant? {
        try await database.withConnection { sql in
            try await sql.raw("SELECT * FROM tenants WHERE code = \(bind: code)").first().map(Self.decode)
        }
    }

    /// Tenants whose code or name contains `search`, by code.
    public func list(search: String?, status: Tenant.Status?, page: PageRequest) async throws -> Page<Tenant> {
        var filter: SQLQueryString = "1 = 1"
        if let search, !search.isEmpty {
            let pattern = containsPattern(search)
            filter += " AND (LOWER(code) LIKE \(bind: pattern) ESCAPE '\\' OR LOWER(name) LIKE \(bind: pattern) ESCAPE '\\')"
        }
        if let status { filter += " AND status = \(bind: status.rawValue)" }
        return try await database.withConnection { [filter] sql in
            let total = try await sql.raw("SELECT COUNT(*) AS n FROM tenants WHERE \(filter)").first()?
                .decode(column: "n", as: Int.self) ?? 0
            let rows = try await sql.raw("""
                SELECT * FROM tenants WHERE \(filter) ORDER BY code
                LIMIT \(bind: page.pageSize) OFFSET \(bind: page.offset)
                """).all()
            return Page(items: try rows.map(Self.decode), total: total, page: page.page, pageSize: page.pageSize)
        }
    }

    /// Applies `changes`; `nil` when there is no such tenant.
    public func update(id: String, _ changes: Changes) async throws -> Tenant? {
        try await database.transaction { sql in
            guard var tenant = try await sql.raw("SELECT * FROM tenants WHERE id = \(bind: id)").first().map(Self.decode) else {
                return nil
            }
            if let name = changes.name { tenant.name = name }
            if let status = changes.status { tenant.status = status }
            if let value = changes.maxApps { tenant.quotas.maxApps = value }
            if let value = changes.maxAccounts { tenant.quotas.maxAccounts = value }
            if let value = changes.maxDailyMessages { tenant.quotas.maxDailyMessages = value }
            tenant.updatedAt = Date()
            try await sql.raw("""
                UPDATE tenants SET name = \(bind: tenant.name), status = \(bind: tenant.status.rawValue),
                    max_apps = \(bind: tenant.quotas.maxApps), max_accounts = \(bind: tenant.quotas.maxAccounts),
                    max_daily_messages = \(bind: tenant.quotas.maxDailyMessages),
                    updated_at = \(bind: Timestamp.milliseconds(tenant.updatedAt))
                WHERE id = \(bind: id)
                """).run()
            return tenant
        }
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
