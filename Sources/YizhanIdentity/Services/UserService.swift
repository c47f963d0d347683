import Foundation
import YizhanCore
import YizhanStorage

/// Users of the principal's tenant: create, change, delete, and set passwords, with the rules a
/// production system needs (password policy, roles that exist, owners made only by owners, the
/// last owner kept).
public struct UserService: Sendable {
    public let store: UserStore
    private let tenants: TenantStore
    private let roles: RoleStore
    private let refreshTokens: RefreshTokenStore
    private let hasher: PasswordHasher
    private let audit: AuditLog

    public init(database: any Database, hasher: PasswordHasher, audit: AuditLog) {
        self.store = UserStore(database: database)
        self.tenants = TenantStore(database: database)
        self.roles = RoleStore(database: database)
        self.refreshTokens = RefreshTokenStore(database: database)
        self.hasher = hasher
        self.audit = audit
    }

    /// Creates a user in the principal's tenant.
    public func create(by principal: Principal, email: String, password: String, name: String, roles: [String]) async throws -> User {
        try await create(tenantID: principal.tenantID, email: email, password: password, name: name, roles: roles, grantor: principal)
    }

    /// Creates a user with no caller (the CLI, run by whoever holds the database): any existing
    /// role may be given.
    public func create(tenantID: String, email: String, password: String, name: String, roles: [String]) async throws -> User {
        try await create(tenantID: tenantID, email: email, password: password, name: name, roles: roles, grantor: nil)
    }

    private func create(
        tenantID: String, email: String, password: String, name: String, roles: [String], grantor: Principal?
    ) async throws -> User {
        let email = try InputRules.email(email)
        let name = try InputRules.name(name)
        try PasswordPolicy.validate(password, email: email)
        let roles = try await checkedRoles(roles, granting: [], tenantID: tenantID, by: grantor)
        let user = try await store.create(
            tenantID: tenantID, email: email, name: name, passwordHash: try await hasher.hash(password), roles: roles)
        try await audit.record(
            "user.create", tenantID: tenantID, target: .init("user", user.id),
            details: ["email": email, "roles": roles.joined(separator: " ")])
        return user
    }

    /// Changes the user's email, name or roles.
    public func update(id: String, by principal: Principal, email: String?, name: String?, roles: [String]?) async throws -> User {
        guard let existing = try await store.user(id: id, tenantID: principal.tenantID) else { throw Self.notFound(id) }
        var changes = UserStore.Changes()
        changes.email = try email.map { email throws(YizhanError) in try InputRules.email(email) }
        changes.name = try name.map { name throws(YizhanError) in try InputRules.name(name) }
        if let roles {
            // The store refuses to take the role from the last owner, atomically.
            changes.roles = try await checkedRoles(roles, granting: existing.roles, tenantID: principal.tenantID, by: principal)
        }
        guard let user = try await store.update(id: id, tenantID: principal.tenantID, changes) else { throw Self.notFound(id) }
        var details: [String: String] = [:]
        if changes.email != nil { details["email"] = user.email }
        if changes.name != nil { details["name"] = "changed" }
        if let roles = changes.roles { details["roles"] = roles.joined(separator: " ") }
        try await audit.record("user.update", target: .init("user", id), details: details)
        return user
    }

    /// Soft-deletes the user and ends their sessions.
    public func delete(id: String, by principal: Principal) async throws {
        guard let user = try await store.user(id: id, tenantID: principal.tenantID) else { throw Self.notFound(id) }
        // The store refuses to delete the last owner, atomically.
        guard try await store.softDelete(id: id, tenantID: principal.tenantID) else { throw Self.notFound(id) }
        try await refreshTokens.revokeAll(userID: id)
        try await audit.record("user.delete", target: .init("user", id), details: ["email": user.email])
    }

    /// Sets another user's password (an administrator's reset); ends that user's sessions.
    public func resetPassword(id: String, by principal: Principal, newPassword: String) async throws {
        guard let user = try await store.user(id: id, tenantID: principal.tenantID) else { throw Self.notFound(id) }
        try await setPassword(user, newPassword, action: "user.reset_password")
    }

    /// Changes the principal's own password after checking the current one; ends every session.
    public func changeOwnPassword(by principal: Principal, current: String, new: String) async throws {
        guard let userID = principal.userID,
            let credentials = try await store.credentials(id: userID, tenantID: principal.tenantID)
        else {
            throw YizhanError(.forbidden, "Only a user can change their own password.")
        }
        guard try await hasher.verify(current, against: credentials.passwordHash) else {
            try await audit.record("user.change_password", outcome: "failure", target: .init("user", userID), details: ["reason": "wrong_password"])
            throw YizhanError(.validationError, "The current password is wrong.", details: ["field": "current_password"], status: 422)
        }
        try await setPassword(credentials.user, new, action: "user.change_password")
    }

    /// Sets a password with no caller (the CLI's reset); ends the user's sessions.
    public func resetPassword(userID: String, tenantID: String, newPassword: String) async throws {
        guard let user = try await store.user(id: userID, tenantID: tenantID) else { throw Self.notFound(userID) }
        try await setPassword(user, newPassword, action: "user.reset_password")
    }

    private func setPassword(_ user: User, _ password: String, action: String) async throws {
        try PasswordPolicy.validate(password, email: user.email)
        guard try await store.setPasswordHash(try await hasher.hash(password), id: user.id, tenantID: user.tenantID) else {
            throw Self.notFound(user.id)
        }
        try await refreshTokens.revokeAll(userID: user.id)
        try await audit.record(action, tenantID: user.tenantID, target: .init("user", user.id), details: ["sessions": "revoked"])
    }

    /// Role names that exist in the tenant and that the principal (if any) may grant.
    private func checkedRoles(
        _ names: [String], granting existing: [String], tenantID: String, by principal: Principal?
    ) async throws -> [String] {
        let names = Array(Set(names.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })).sorted()
        guard let tenant = try await tenants.tenant(id: tenantID) else {
            throw YizhanError(.notFound, "No tenant with id \(tenantID).")
        }
        let custom = Set(try await roles.roles(named: names, tenantID: tenant.id).map(\.name))
        for name in names {
            if let builtIn = BuiltInRole(rawValue: name) {
                if builtIn.isPlatformOnly && !tenant.isPlatform {
                    throw YizhanError(.validationError, "Role '\(name)' exists only in the platform tenant.", details: ["field": "roles"], status: 422)
                }
                let isNew = !existing.contains(name)
                let privileged = builtIn == .owner || builtIn == .platformAdmin
                if let principal, isNew && privileged && !principal.roles.contains(name) {
                    throw YizhanError(.forbidden, "Only a user with role '\(name)' may grant it.")
                }
            } else if !custom.contains(name) {
                throw YizhanError(.validationError, "No role named '\(name)' in this tenant.", details: ["field": "roles", "value": .string(name)], status: 422)
            }
        }
        return names
    }

    /// The answer for a user id that is not in the tenant.
    public static func notFound(_ id: String) -> YizhanError { YizhanError(.notFound, "No user with id \(id).") }
}
