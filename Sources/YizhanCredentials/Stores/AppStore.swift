import Foundation
import SQLKit
import YizhanCore
import YizhanStorage

/// Apps of every tenant, on either engine. The sealed secrets are read only by
/// ``sealedSecrets(id:tenantID:in:)``; every other read leaves them in the database.
struct AppStore {
    /// A stored app and what is kept beside it.
    struct Row {
        var app: ProviderApp
        var identityKey: String
        var sealedSecrets: String
    }

    private static let publicColumns =
        "id, tenant_id, name, provider, base_url, status, identifiers, secret_names, created_at, updated_at"

    func insert(_ row: Row, in work: UnitOfWork) async throws {
        let app = row.app
        try await work.raw("""
            INSERT INTO apps (id, tenant_id, name, provider, base_url, status, identity_key, identifiers, secret_names,
                              secrets, created_at, updated_at)
            VALUES (\(bind: app.id), \(bind: app.tenantID), \(bind: app.name), \(bind: app.provider.rawValue),
                    \(bind: app.baseURL), \(bind: app.status.rawValue), \(bind: row.identityKey),
                    \(bind: try Self.json(app.identifiers)), \(bind: try Self.json(app.secretNames)), \(bind: row.sealedSecrets),
                    \(bind: Timestamp.milliseconds(app.createdAt)), \(bind: Timestamp.milliseconds(app.updatedAt)))
            """).run()
    }

    /// The id of the tenant's app of `provider` with this identity key, if there is one.
    func existing(tenantID: String, provider: AppProvider, identityKey: String, in work: UnitOfWork) async throws -> String? {
        try await work.raw("""
            SELECT id FROM apps
            WHERE tenant_id = \(bind: tenantID) AND provider = \(bind: provider.rawValue) AND identity_key = \(bind: identityKey)
            """).first()?.decode(column: "id", as: String.self)
    }

    /// Locks the app's row until the transaction ends (PostgreSQL; SQLite's writer lock does it).
    func lock(id: String, tenantID: String, in work: UnitOfWork) async throws {
        guard work.engine == .postgres else { return }
        try await work.raw("SELECT id FROM apps WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID) FOR NO KEY UPDATE").run()
    }

    func app(id: String, tenantID: String, in work: UnitOfWork) async throws -> ProviderApp? {
        try await work.raw("""
            SELECT \(unsafeRaw: Self.publicColumns) FROM apps WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID)
            """).first().map(Self.decode)
    }

    /// The sealed secrets of the tenant's app.
    func sealedSecrets(id: String, tenantID: String, in work: UnitOfWork) async throws -> String? {
        try await work.raw("SELECT secrets FROM apps WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID)")
            .first()?.decode(column: "secrets", as: String.self)
    }

    /// How many apps the tenant has.
    func count(tenantID: String, in work: UnitOfWork) async throws -> Int {
        try await work.raw("SELECT COUNT(*) AS n FROM apps WHERE tenant_id = \(bind: tenantID)").first()?
            .decode(column: "n", as: Int.self) ?? 0
    }

    /// The tenant's apps, newest first, of one provider or status when asked.
    func list(
        tenantID: String, provider: AppProvider?, status: ProviderApp.Status?, page: PageRequest, in work: UnitOfWork
    ) async throws -> Page<ProviderApp> {
        var filter: SQLQueryString = "tenant_id = \(bind: tenantID)"
        if let provider { filter += " AND provider = \(bind: provider.rawValue)" }
        if let status { filter += " AND status = \(bind: status.rawValue)" }
        let total = try await work.raw("SELECT COUNT(*) AS n FROM apps WHERE \(filter)").first()?
            .decode(column: "n", as: Int.self) ?? 0
        let rows = try await work.raw("""
            SELECT \(unsafeRaw: Self.publicColumns) FROM apps WHERE \(filter) ORDER BY created_at DESC, id
            LIMIT \(bind: page.pageSize) OFFSET \(bind: page.offset)
            """).all()
        return Page(items: try rows.map(Self.decode), total: total, page: page.page, pageSize: page.pageSize)
    }

    /// Writes the app's public fields, and its sealed secrets when given.
    func update(_ app: ProviderApp, sealedSecrets: String?, in work: UnitOfWork) async throws {
        var assignments: SQLQueryString = """
            name = \(bind: app.name), base_url = \(bind: app.baseURL), status = \(bind: app.status.rawValue),
            secret_names = \(bind: try Self.json(app.secretNames)), updated_at = \(bind: Timestamp.milliseconds(app.updatedAt))
            """
        if let sealedSecrets { assignments += ", secrets = \(bind: sealedSecrets)" }
        try await work.raw("UPDATE apps SET \(assignments) WHERE id = \(bind: app.id) AND tenant_id = \(bind: app.tenantID)").run()
    }

    func delete(id: String, tenantID: String, in work: UnitOfWork) async throws {
        try await work.raw("DELETE FROM apps WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID)").run()
    }

    static func decode(_ row: any SQLRow) throws -> ProviderApp {
        let provider = try row.decode(column: "provider", as: String.self)
        let status = try row.decode(column: "status", as: String.self)
        return ProviderApp(
            id: try row.decode(column: "id", as: String.self),
            tenantID: try row.decode(column: "tenant_id", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            provider: AppProvider(rawValue: provider) ?? .lark,
            baseURL: try row.decode(column: "base_url", as: String.self),
            status: ProviderApp.Status(rawValue: status) ?? .disabled,
            identifiers: try JSONDecoder().decode([String: String].self, from: Data(try row.decode(column: "identifiers", as: String.self).utf8)),
            secretNames: try JSONDecoder().decode([String].self, from: Data(try row.decode(column: "secret_names", as: String.self).utf8)),
            createdAt: Timestamp.date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
            updatedAt: Timestamp.date(milliseconds: try row.decode(column: "updated_at", as: Int64.self)))
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
