import Foundation
import YizhanCore
import YizhanStorage

/// A tenant's custom roles: named sets of tenant permissions, next to the built-in roles.
public struct RoleService: Sendable {
    public let store: RoleStore
    private let users: UserStore
    private let audit: AuditLog

    public init(database: any Database, audit: AuditLog) {
        self.store = RoleStore(database: database)
        self.users = UserStore(database: database)
        self.audit = audit
    }

    /// Creates a role in the principal's tenant. A role may grant only permissions its creator holds.
    public func create(by principal: Principal, name: String, description: String?, permissions: [String]) async throws -> CustomRole {
        let name = try InputRules.slug(name, field: "name")
        guard BuiltInRole(rawValue: name) == nil else {
            throw YizhanError(.conflict, "'\(name)' is a built-in role.", details: ["field": "name"])
        }
        let permissions = try checked(permissions, by: principal)
        let role = try await store.create(
            tenantID: principal.tenantID, name: name, description: description ?? "", permissions: permissions)
        try await audit.record("role.create", target: .init("role", name), details: ["permissions": Self.list(permissions)])
        return role
    }

    /// Changes a role's description or permissions.
    public func update(by principal: Principal, name: String, description: String?, permissions: [String]?) async throws -> CustomRole {
        let permissions = try permissions.map { names throws(YizhanError) in try checked(names, by: principal) }
        guard let role = try await store.update(tenantID: principal.tenantID, name: name, description: description, permissions: permissions) else {
            throw YizhanError(.notFound, "No custom role named '\(name)'.")
        }
        try await audit.record("role.update", target: .init("role", name), details: ["permissions": Self.list(role.permissions)])
        return role
    }

    /// Deletes a role no user holds.
    public func delete(by principal: Principal, name: String) async throws {
        if try await users.count(holding: name, tenantID: principal.tenantID) > 0 {
            throw YizhanError(.conflict, "Users hold role '\(name)'; take it from them first.")
        }
        guard try await store.delete(tenantID: principal.tenantID, name: name) else {
            throw YizhanError(.notFound, "No custom role named '\(name)'.")
        }
        try await audit.record("role.delete", target: .init("role", name))
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
