import Foundation
import YizhanCore
import YizhanStorage

/// Users of the principal's tenant: create, change, delete, and set passwords, with the rules a
/// production system needs (password policy, roles that exist, no role granted beyond the
/// grantor's own permissions, no password reset of someone more privileged, the last owner kept).
package struct UserService: Sendable {
    private let database: any Database
    private let clock: any TimeSource
    private let hasher: PasswordHasher
    private let audit: AuditLog
    private let cache: PrincipalCache
    private let permissions: PermissionResolver
    private let store = UserStore()
    private let tenants = TenantStore()
    private let roles = RoleStore()
    private let refreshTokens = RefreshTokenStore()
    private let apiKeys = APIKeyStore()
    private let throttle = LoginThrottleStore()

    init(
        database: any Database, clock: any TimeSource, hasher: PasswordHasher, audit: AuditLog, cache: PrincipalCache,
        permissions: PermissionResolver
    ) {
        self.database = database
        self.clock = clock
        self.hasher = hasher
        self.audit = audit
        self.cache = cache
        self.permissions = permissions
    }

    /// The live user `id` of the tenant.
    package func user(id: String, tenantID: String) async throws -> User? {
        try await database.withConnection { work in try await store.user(id: id, tenantID: tenantID, in: work) }
    }

    /// The live user with `email` in the tenant.
    package func user(email: String, tenantID: String) async throws -> User? {
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        return try await database.withConnection { work in
            try await store.credentials(email: email, tenantID: tenantID, in: work)?.user
        }
    }

    /// The tenant's live users whose email or name contains `search`, by email.
    package func list(tenantID: String, search: String?, role: String?, page: PageRequest) async throws -> Page<User> {
        try await database.withConnection { work in
            try await store.list(tenantID: tenantID, search: search, role: role, page: page, in: work)
        }
    }

    /// How many live users of the tenant hold `role`.
    package func count(holding role: String, tenantID: String) async throws -> Int {
        try await database.withConnection { work in try await store.count(holding: role, tenantID: tenantID, in: work) }
    }

    /// Creates a user in the principal's tenant.
    package func create(by principal: Principal, email: String, password: String, name: String, roles: [String]) async throws -> User {
        try await create(tenantID: principal.tenantID, email: email, password: password, name: name, roles: roles, grantor: principal)
    }

    /// Creates a user with no caller (the CLI, run by whoever holds the database): any existing
    /// role may be given.
    package func create(tenantID: String, email: String, password: String, name: String, roles: [String]) async throws -> User {
        try await create(tenantID: tenantID, email: email, password: password, name: name, roles: roles, grantor: nil)
    }

    private func create(
        tenantID: String, email: String, password: String, name: String, roles: [String], grantor: Principal?
    ) async throws -> User {
        let email = try InputRules.email(email)
        let name = try InputRules.name(name)
        try PasswordPolicy.validate(password, email: email)
        let names = Self.normalized(roles)
        let hash = try await hasher.hash(password)
        let now = clock.now()
        let user = User(
            id: IdentityID.make("usr"), tenantID: tenantID, email: email, name: name, roles: names,
            createdAt: now, updatedAt: now, passwordChangedAt: now)
        try await reportingUniqueViolation(as: Self.emailTaken) {
            try await database.transaction { work in
                if !names.isEmpty { try await tenants.lock(id: tenantID, in: work) }  // against a role's deletion
                try await checkGrant(names, existing: [], tenantID: tenantID, by: grantor, in: work)
                try await store.insert(user, passwordHash: hash, in: work)
                try await audit.record(
                    "user.create", tenantID: tenantID, target: .init("user", user.id),
                    details: ["email": email, "roles": names.joined(separator: " ")], in: work)
            }
        }
        return user
    }

    /// Changes the user's email, name or roles.
    package func update(id: String, by principal: Principal, email: String?, name: String?, roles: [String]?) async throws -> User {
        var changes = UserChanges()
        changes.email = try email.map { email throws(YizhanError) in try InputRules.email(email) }
        changes.name = try name.map { name throws(YizhanError) in try InputRules.name(name) }
        changes.roles = roles.map(Self.normalized)
        let now = clock.now()
        let tenantID = principal.tenantID
        return try await reportingUniqueViolation(as: Self.emailTaken) { try await database.transaction { [changes] work in
            // Owner changes are serialised per tenant, so "another owner remains" holds at commit.
            if changes.roles != nil { try await tenants.lock(id: tenantID, in: work) }
            try await store.lock(id: id, in: work)
            guard let existing = try await store.user(id: id, tenantID: tenantID, in: work) else { throw Self.notFound(id) }
            try await requireMayActOn(existing, by: principal, action: "change", in: work)
            if let roles = changes.roles {
                try await checkGrant(roles, existing: existing.roles, tenantID: tenantID, by: principal, in: work)
            }
            guard let user = try await store.update(id: id, tenantID: tenantID, changes, now: now, in: work) else {
                throw Self.notFound(id)
            }
            var details: [String: String] = [:]
            if changes.email != nil { details["email"] = user.email }
            if changes.name != nil { details["name"] = "changed" }
            if let roles = changes.roles { details["roles"] = roles.joined(separator: " ") }
            try await audit.record("user.update", target: .init("user", id), details: details, in: work)
            work.invalidates(cache)
            return user
        } }
    }

    /// Soft-deletes the user, ends their sessions and revokes the API keys they created.
    package func delete(id: String, by principal: Principal) async throws {
        let now = clock.now()
        let tenantID = principal.tenantID
        try await database.transaction { work in
            try await tenants.lock(id: tenantID, in: work)
            try await store.lock(id: id, in: work)
            guard let user = try await store.user(id: id, tenantID: tenantID, in: work) else { throw Self.notFound(id) }
            try await requireMayActOn(user, by: principal, action: "delete", in: work)
            // The store refuses to delete the last owner.
            guard try await store.softDelete(id: id, tenantID: tenantID, now: now, in: work) else { throw Self.notFound(id) }
            try await refreshTokens.revokeAll(userID: id, now: now, in: work)
            let keys = try await apiKeys.revokeAll(createdBy: id, tenantID: tenantID, now: now, in: work)
            try await audit.record(
                "user.delete", target: .init("user", id), details: ["email": user.email, "api_keys_revoked": String(keys)],
                in: work)
            work.invalidates(cache)
        }
    }

    /// Sets another user's password (an administrator's reset); ends that user's sessions.
    /// A reset is a takeover of the account, so it follows ``requireMayActOn(_:by:action:in:)``; an
    /// API key cannot reset passwords at all, and a user changes their own with the current one
    /// (`POST /me/password`), never by a reset.
    public func resetPassword(id: String, by principal: Principal, newPassword: String) async throws {
        guard let user = try await user(id: id, tenantID: principal.tenantID) else { throw Self.notFound(id) }
        guard principal.userID != nil else {
            throw YizhanError(.forbidden, "API keys cannot reset passwords; a user must do it.")
        }
        guard principal.userID != id else {
            throw YizhanError(.forbidden, "Change your own password with POST /api/v1/me/password and the current one.")
        }
        try await setPassword(user, newPassword, action: "user.reset_password") { work in
            guard let current = try await store.user(id: id, tenantID: principal.tenantID, in: work) else { throw Self.notFound(id) }
            try await requireMayActOn(current, by: principal, action: "reset the password of", in: work)
        }
    }

    /// `FORBIDDEN` unless the principal can do everything `user` can: every permission of the
    /// user's roles held, and `owner` or `platform_admin` only by a holder of that role. Changing,
    /// deleting or resetting someone more privileged would reach beyond the principal's own rights
    /// (strip an admin's roles, then take the account over). Run it after locking the user.
    private func requireMayActOn(_ user: User, by principal: Principal, action: String, in work: UnitOfWork) async throws {
        if principal.userID == user.id { return }  // one's own account: nothing beyond one's rights
        guard let tenant = try await tenants.tenant(id: user.tenantID, in: work) else { throw TenantService.notFound(user.tenantID) }
        let held = try await permissions.permissions(of: user.roles, in: tenant, in: work)
        let privileged = Set(user.roles).intersection(Self.privilegedRoles).subtracting(principal.roles).sorted()
        let beyond = held.subtracting(principal.permissions).map(\.rawValue).sorted()
        guard privileged.isEmpty && beyond.isEmpty else {
            throw YizhanError(
                .forbidden, "You may \(action) only a user who can do no more than you.",
                details: ["roles": .array(privileged.map { .string($0) }), "permissions": .array(beyond.map { .string($0) })])
        }
    }

    /// Roles that only their holders may grant, or act on the holders of.
    private static let privilegedRoles: Set<String> = [BuiltInRole.owner.rawValue, BuiltInRole.platformAdmin.rawValue]

    /// Changes the principal's own password after checking the current one; ends every session.
    /// Wrong current passwords count against the user like failed logins and lock it out alike.
    package func changeOwnPassword(by principal: Principal, current: String, new: String) async throws {
        guard let userID = principal.userID else {
            throw YizhanError(.forbidden, "Only a user can change their own password.")
        }
        let keys = [LoginThrottleStore.passwordChangeKey(userID: userID)]
        let now = clock.now()
        let (admission, credentials) = try await database.transaction { work in
            (try await throttle.admit(keys, now: now, in: work),
             try await store.credentials(id: userID, tenantID: principal.tenantID, in: work))
        }
        if case .refused(let until, _) = admission { throw AuthService.lockedOut(until: until, now: now) }
        guard let credentials else { throw YizhanError(.forbidden, "Only a user can change their own password.") }
        guard try await hasher.verify(current, against: credentials.passwordHash) else {
            try await database.transaction { work in
                try await audit.record(
                    "user.change_password", outcome: "failure", target: .init("user", userID),
                    details: ["reason": "wrong_password"], in: work)
            }
            throw YizhanError(.validationError, "The current password is wrong.", details: ["field": "current_password"], status: 422)
        }
        try await setPassword(credentials.user, new, action: "user.change_password", clearing: keys)
    }

    /// Sets a password with no caller (the CLI's reset); ends the user's sessions.
    package func resetPassword(userID: String, tenantID: String, newPassword: String) async throws {
        guard let user = try await user(id: userID, tenantID: tenantID) else { throw Self.notFound(userID) }
        try await setPassword(user, newPassword, action: "user.reset_password")
    }

    /// Stores the new hash, revokes every session and writes the audit entry in one transaction;
    /// access tokens issued before the change stop working (`password_changed_at`).
    private func setPassword(
        _ user: User, _ password: String, action: String, clearing keys: [String] = [],
        check: @Sendable (UnitOfWork) async throws -> Void = { _ in }
    ) async throws {
        try PasswordPolicy.validate(password, email: user.email)
        let hash = try await hasher.hash(password)
        let now = clock.now()
        try await database.transaction { work in
            try await store.lock(id: user.id, in: work)
            try await check(work)
            guard try await store.setPasswordHash(hash, id: user.id, tenantID: user.tenantID, now: now, in: work) else {
                throw Self.notFound(user.id)
            }
            try await refreshTokens.revokeAll(userID: user.id, now: now, in: work)
            if !keys.isEmpty { try await throttle.succeeded(keys, in: work) }
            try await audit.record(
                action, tenantID: user.tenantID, target: .init("user", user.id), details: ["sessions": "revoked"], in: work)
            work.invalidates(cache)
        }
    }

    /// Checks that every role exists in the tenant and that the principal (if any) may grant each new
    /// one: they must hold every permission it grants, and `owner` and `platform_admin` only by a
    /// holder of that role.
    private func checkGrant(
        _ names: [String], existing: [String], tenantID: String, by principal: Principal?, in work: UnitOfWork
    ) async throws {
        guard let tenant = try await tenants.tenant(id: tenantID, in: work) else { throw TenantService.notFound(tenantID) }
        let custom = Set(try await roles.roles(named: names, tenantID: tenant.id, in: work).map(\.name))
        for name in names {
            if let builtIn = BuiltInRole(rawValue: name) {
                if builtIn.isPlatformOnly && !tenant.isPlatform {
                    throw YizhanError(.validationError, "Role '\(name)' exists only in the platform tenant.", details: ["field": "roles"], status: 422)
                }
            } else if !custom.contains(name) {
                throw YizhanError(.validationError, "No role named '\(name)' in this tenant.", details: ["field": "roles", "value": .string(name)], status: 422)
            }
        }
        guard let principal else { return }
        let granted = names.filter { !existing.contains($0) }
        for name in granted {
            if Self.privilegedRoles.contains(name) && !principal.roles.contains(name) {
                throw YizhanError(.forbidden, "Only a user with role '\(name)' may grant it.")
            }
            let beyond = try await permissions.permissions(of: [name], in: tenant, in: work).subtracting(principal.permissions)
            guard beyond.isEmpty else {
                let list = beyond.sorted().map(\.rawValue)
                throw YizhanError(
                    .forbidden, "Role '\(name)' grants permissions you lack: \(list.joined(separator: ", ")).",
                    details: ["role": .string(name), "permissions": .array(list.map { .string($0) })])
            }
        }
    }

    /// Trimmed, lower-cased, unique, sorted role names.
    private static func normalized(_ names: [String]) -> [String] {
        Array(Set(names.map { $0.trimmingCharacters(in: .whitespaces).lowercased() })).sorted()
    }

    /// The answer for an email another live user of the tenant has.
    static let emailTaken = YizhanError(.conflict, "A user with this email exists in the tenant.", details: ["field": "email"])

    /// The answer for a user id that is not in the tenant.
    package static func notFound(_ id: String) -> YizhanError { YizhanError(.notFound, "No user with id \(id).") }
}
