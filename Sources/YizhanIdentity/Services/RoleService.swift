import Foundation
import YizhanCore
import YizhanStorage

/// A tenant's custom roles: named sets of tenant permissions, next to the built-in roles.
package struct RoleService: Sendable {
    private let database: any Database
    private let clock: any TimeSource
    private let audit: AuditLog
    private let cache: PrincipalCache
    private let store = RoleStore()
    private let users = UserStore()
    private let tenants = TenantStore()

    init(database: any Database, clock: any TimeSource, audit: AuditLog, cache: PrincipalCache) {
        self.database = database
        self.clock = clock
        self.audit = audit
        self.cache = cache
    }

    /// The tenant's custom roles, by name.
    package func list(tenantID: String) async throws -> [CustomRole] {
        try await database.withConnection { work in try await store.list(tenantID: tenantID, in: work) }
    }

    /// The tenant's custom role `name`.
    package func role(named name: String, tenantID: String) async throws -> CustomRole? {
        try await database.withConnection { work in try await store.roles(named: [name], tenantID: tenantID, in: work).first }
    }

    /// Creates a role in the principal's tenant. A role may grant only permissions its creator holds.
    package func create(by principal: Principal, name: String, description: String?, permissions: [String]) async throws -> CustomRole {
        let name = try InputRules.slug(name, field: "name")
        guard BuiltInRole(rawValue: name) == nil else {
            throw YizhanError(.conflict, "'\(name)' is a built-in role.", details: ["field": "name"])
        }
        let permissions = try checked(permissions, by: principal)
        let now = clock.now()
        let role = CustomRole(name: name, description: description ?? "", permissions: permissions, createdAt: now, updatedAt: now)
        let conflict = YizhanError(.conflict, "The tenant has a role named '\(name)'.", details: ["field": "name"])
        try await reportingUniqueViolation(as: conflict) {
            try await database.transaction { work in
                try await store.insert(role, tenantID: principal.tenantID, in: work)
                try await audit.record("role.create", target: .init("role", name), details: ["permissions": Self.list(permissions)], in: work)
            }
        }
        return role
    }

    /// Changes a role's description or permissions; its holders' permissions change at once.
    package func update(by principal: Principal, name: String, description: String?, permissions: [String]?) async throws -> CustomRole {
        let permissions = try permissions.map { names throws(YizhanError) in try checked(names, by: principal) }
        let now = clock.now()
        return try await database.transaction { work in
            guard let role = try await store.update(
                tenantID: principal.tenantID, name: name, description: description, permissions: permissions, now: now, in: work)
            else {
                throw YizhanError(.notFound, "No custom role named '\(name)'.")
            }
            try await audit.record("role.update", target: .init("role", name), details: ["permissions": Self.list(role.permissions)], in: work)
            work.invalidates(cache)
            return role
        }
    }

    /// Deletes a role no user holds.
    package func delete(by principal: Principal, name: String) async throws {
        try await database.transaction { work in
            // Grants lock the tenant too, so none can slip in between the count and the delete.
            try await tenants.lock(id: principal.tenantID, in: work)
            if try await users.count(holding: name, tenantID: principal.tenantID, in: work) > 0 {
                throw YizhanError(.conflict, "Users hold role '\(name)'; take it from them first.")
            }
            guard try await store.delete(tenantID: principal.tenantID, name: name, in: work) else {
                throw YizhanError(.notFound, "No custom role named '\(name)'.")
            }
            try await audit.record("role.delete", target: .init("role", name), in: work)
            work.invalidates(cache)
        }
    }

    private func checked(_ names: [String], by principal: Principal) throws(YizhanError) -> Set<Permission> {
        let permissions = try InputRules.permissions(names)
        let platform = permissions.subtracting(Permission.tenantScoped)
        guard platform.isEmpty else {
            throw YizhanError(.validationError, "A custom role cannot grant platform permissions.", details: ["field": "permissions"], status: 422)
        }
        let beyond = permissions.subtracting(principal.permissions)
        guard beyond.isEmpty else {
            throw YizhanError(.forbidden, "A role cannot grant permissions its creator lacks: \(Self.list(beyond)).")
        }
        return permissions
    }

    private static func list(_ permissions: Set<Permission>) -> String {
        permissions.sorted().map(\.rawValue).joined(separator: " ")
    }
}
