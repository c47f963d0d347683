import Foundation
import SQLKit
import YizhanCore
import YizhanStorage

/// Custom roles, per tenant.
struct RoleStore {
    /// Inserts a role; `CONFLICT` when the tenant has one of that name.
    func insert(_ role: CustomRole, tenantID: String, in work: UnitOfWork) async throws {
        if try await work.raw("SELECT name FROM roles WHERE tenant_id = \(bind: tenantID) AND name = \(bind: role.name)").first() != nil {
            throw YizhanError(.conflict, "The tenant has a role named '\(role.name)'.", details: ["field": "name"])
        }
        try await work.raw("""
            INSERT INTO roles (tenant_id, name, description, permissions, created_at, updated_at)
            VALUES (\(bind: tenantID), \(bind: role.name), \(bind: role.description),
                    \(bind: StoredJSON.encode(permissions: role.permissions)),
                    \(bind: Timestamp.milliseconds(role.createdAt)), \(bind: Timestamp.milliseconds(role.updatedAt)))
            """).run()
    }

    /// The tenant's custom roles, by name.
    func list(tenantID: String, in work: UnitOfWork) async throws -> [CustomRole] {
        try await work.raw("SELECT * FROM roles WHERE tenant_id = \(bind: tenantID) ORDER BY name").all().map(Self.decode)
    }

    /// The tenant's roles among `names`.
    func roles(named names: [String], tenantID: String, in work: UnitOfWork) async throws -> [CustomRole] {
        guard !names.isEmpty else { return [] }
        return try await work.raw("""
            SELECT * FROM roles WHERE tenant_id = \(bind: tenantID) AND name IN (\(binds: names))
            """).all().map(Self.decode)
    }

    /// Replaces the role's description and permissions; `nil` when there is no such role.
    func update(
        tenantID: String, name: String, description: String?, permissions: Set<Permission>?, now: Date, in work: UnitOfWork
    ) async throws -> CustomRole? {
        let lock: SQLQueryString = work.engine == .postgres ? " FOR NO KEY UPDATE" : ""
        guard var role = try await work.raw("""
            SELECT * FROM roles WHERE tenant_id = \(bind: tenantID) AND name = \(bind: name)\(lock)
            """).first().map(Self.decode) else { return nil }
        if let description { role.description = description }
        if let permissions { role.permissions = permissions }
        role.updatedAt = now
        try await work.raw("""
            UPDATE roles SET description = \(bind: role.description),
                permissions = \(bind: StoredJSON.encode(permissions: role.permissions)),
                updated_at = \(bind: Timestamp.milliseconds(now))
            WHERE tenant_id = \(bind: tenantID) AND name = \(bind: name)
            """).run()
        return role
    }

    /// Deletes the role; `false` when there is none.
    func delete(tenantID: String, name: String, in work: UnitOfWork) async throws -> Bool {
        try await !work.raw("DELETE FROM roles WHERE tenant_id = \(bind: tenantID) AND name = \(bind: name) RETURNING name")
            .all().isEmpty
    }

    static func decode(_ row: any SQLRow) throws -> CustomRole {
        CustomRole(
            name: try row.decode(column: "name", as: String.self),
            description: try row.decode(column: "description", as: String.self),
            permissions: try StoredJSON.permissions(from: try row.decode(column: "permissions", as: String.self)),
            createdAt: Timestamp.date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
            updatedAt: Timestamp.date(milliseconds: try row.decode(column: "updated_at", as: Int64.self)))
    }
}
