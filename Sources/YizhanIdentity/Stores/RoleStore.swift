import Foundation
import SQLKit
import YizhanCore
import YizhanStorage

/// Custom roles, per tenant.
public struct RoleStore: Sendable {
    private let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Creates a role; `CONFLICT` when the tenant has one of that name.
    public func create(tenantID: String, name: String, description: String, permissions: Set<Permission>) async throws -> CustomRole {
        let now = Date()
        try await UniqueTransaction.run(in: database) { sql in
            if try await sql.raw("SELECT name FROM roles WHERE tenant_id = \(bind: tenantID) AND name = \(bind: name)").first() != nil {
                throw YizhanError(.conflict, "The tenant has a role named '\(name)'.", details: ["field": "name"])
            }
            try await sql.raw("""
                INSERT INTO roles (tenant_id, name, description, permissions, created_at, updated_at)
                VALUES (\(bind: tenantID), \(bind: name), \(bind: description), \(bind: StoredJSON.encode(permissions: permissions)),
                        \(bind: Timestamp.milliseconds(now)), \(bind: Timestamp.milliseconds(now)))
                """).run()
        }
        return CustomRole(name: name, description: description, permissions: permissions, createdAt: now, updatedAt: now)
    }

    /// The tenant's custom roles, by name.
    public func list(tenantID: String) async throws -> [CustomRole] {
        try await database.withConnection { sql in
            try await sql.raw("SELECT * FROM roles WHERE tenant_id = \(bind: tenantID) ORDER BY name").all().map(Self.decode)
        }
    }

    /// The tenant's roles among `names`.
    public func roles(named names: [String], tenantID: String) async throws -> [CustomRole] {
        guard !names.isEmpty else { return [] }
        return try await database.withConnection { sql in
            try await sql.raw("""
                SELECT * FROM roles WHERE tenant_id = \(bind: tenantID) AND name IN (\(binds: names))
                """).all().map(Self.decode)
        }
    }

    /// Replaces the role's description and permissions; `nil` when there is no such role.
    public func update(tenantID: String, name: String, description: String?, permissions: Set<Permission>?) async throws -> CustomRole? {
        try await database.transaction { sql in
            guard var role = try await sql.raw("SELECT * FROM roles WHERE tenant_id = \(bind: tenantID) AND name = \(bind: name)")
                .first().map(Self.decode) else { return nil }
            if let description { role.description = description }
            if let permissions { role.permissions = permissions }
            role.updatedAt = Date()
            try await sql.raw("""
                UPDATE roles SET description = \(bind: role.description),
                    permissions = \(bind: StoredJSON.encode(permissions: role.permissions)),
                    updated_at = \(bind: Timestamp.milliseconds(role.updatedAt))
                WHERE tenant_id = \(bind: tenantID) AND name = \(bind: name)
                """).run()
            return role
        }
    }

    /// Deletes the role; `false` when there is none.
    public func delete(tenantID: String, name: String) async throws -> Bool {
        try await database.withConnection { sql in
            try await !sql.raw("DELETE FROM roles WHERE tenant_id = \(bind: tenantID) AND name = \(bind: name) RETURNING name")
                .all().isEmpty
        }
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
