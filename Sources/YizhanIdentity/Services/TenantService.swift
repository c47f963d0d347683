import Foundation
import YizhanCore
import YizhanStorage

/// Tenants, managed by platform administrators.
package struct TenantService: Sendable {
    /// The owner created with a tenant.
    package struct Owner: Sendable {
        package var email: String
        package var password: String
        package var name: String?

        package init(email: String, password: String, name: String? = nil) {
            self.email = email
            self.password = password
            self.name = name
        }
    }

    private let database: any Database
    private let clock: any TimeSource
    private let hasher: PasswordHasher
    private let audit: AuditLog
    private let cache: PrincipalCache
    private let store = TenantStore()
    private let users = UserStore()

    init(database: any Database, clock: any TimeSource, hasher: PasswordHasher, audit: AuditLog, cache: PrincipalCache) {
        self.database = database
        self.clock = clock
        self.hasher = hasher
        self.audit = audit
        self.cache = cache
    }

    /// The tenant with `id`.
    package func tenant(id: String) async throws -> Tenant? {
        try await database.withConnection { work in try await store.tenant(id: id, in: work) }
    }

    /// The tenant with `code` (matched lower-cased).
    package func tenant(code: String) async throws -> Tenant? {
        let code = code.lowercased()
        return try await database.withConnection { work in try await store.tenant(code: code, in: work) }
    }

    /// Tenants whose code or name contains `search`, by code.
    package func list(search: String?, status: Tenant.Status?, page: PageRequest) async throws -> Page<Tenant> {
        try await database.withConnection { work in
            try await store.list(search: search, status: status, page: page, in: work)
        }
    }

    /// Creates a tenant, and its `owner` user when `owner` is given, with the audit entry, in one
    /// transaction: either all exist afterwards or none.
    package func create(
        code: String, name: String, quotas: TenantQuotas, owner: Owner?, ownerRoles: [String] = [BuiltInRole.owner.rawValue]
    ) async throws -> (tenant: Tenant, owner: User?) {
        let code = try InputRules.slug(code, field: "code")
        let name = try InputRules.name(name)
        let quotas = TenantQuotas(
            maxApps: try InputRules.quota(quotas.maxApps, field: "max_apps"),
            maxAccounts: try InputRules.quota(quotas.maxAccounts, field: "max_accounts"),
            maxDailyMessages: try InputRules.quota(quotas.maxDailyMessages, field: "max_daily_messages"))
        var ownerInput: (email: String, name: String, hash: String)?
        if let owner {
            let email = try InputRules.email(owner.email, field: "owner_email")
            do { try PasswordPolicy.validate(owner.password, email: email) } catch {
                var error = error
                error.details["field"] = "owner_password"
                throw error
            }
            // Without a name the owner is called by the email, cut to a name's length (an address
            // may be 254 bytes, a name 200 characters).
            let ownerName = try InputRules.name(owner.name ?? String(email.prefix(200)), field: "owner_name")
            ownerInput = (email, ownerName, try await hasher.hash(owner.password))
        }
        let now = clock.now()
        let tenant = Tenant(
            id: IdentityID.make("ten"), code: code, name: name, status: .active, quotas: quotas, createdAt: now, updatedAt: now)
        let user = ownerInput.map { input in
            User(
                id: IdentityID.make("usr"), tenantID: tenant.id, email: input.email, name: input.name, roles: ownerRoles,
                createdAt: now, updatedAt: now, passwordChangedAt: now)
        }
        let conflict = YizhanError(.conflict, "A tenant with code '\(code)' exists.", details: ["field": "code"])
        try await reportingUniqueViolation(as: conflict) { try await database.transaction { [ownerInput] work in
            try await store.insert(tenant, in: work)
            if let user, let ownerInput { try await users.insert(user, passwordHash: ownerInput.hash, in: work) }
            try await audit.record(
                "tenant.create", tenantID: tenant.id, target: .init("tenant", tenant.id),
                details: ["code": code, "owner": user?.email ?? ""], in: work)
        } }
        return (tenant, user)
    }

    /// Applies a `PATCH`; suspending refuses the tenant's users and keys from then on.
    package func update(id: String, _ changes: TenantChanges) async throws -> Tenant {
        var changes = changes
        if let name = changes.name { changes.name = try InputRules.name(name) }
        if let value = changes.maxApps { _ = try InputRules.quota(value, field: "max_apps") }
        if let value = changes.maxAccounts { _ = try InputRules.quota(value, field: "max_accounts") }
        if let value = changes.maxDailyMessages { _ = try InputRules.quota(value, field: "max_daily_messages") }
        let now = clock.now()
        return try await database.transaction { [changes] work in
            try await store.lock(id: id, in: work)
            guard let before = try await store.tenant(id: id, in: work) else { throw Self.notFound(id) }
            if before.isPlatform && changes.status == .suspended {
                throw YizhanError(.conflict, "The platform tenant cannot be suspended.")
            }
            guard let tenant = try await store.update(id: id, changes, now: now, in: work) else { throw Self.notFound(id) }
            var details: [String: String] = [:]
            if before.status != tenant.status { details["status"] = tenant.status.rawValue }
            if before.name != tenant.name { details["name"] = tenant.name }
            if before.quotas != tenant.quotas { details["quotas"] = "changed" }
            let action = before.status == tenant.status ? "tenant.update" : (tenant.status == .suspended ? "tenant.suspend" : "tenant.activate")
            try await audit.record(action, tenantID: id, target: .init("tenant", id), details: details, in: work)
            work.invalidates(cache)
            return tenant
        }
    }

    /// The answer for a tenant id that does not exist.
    /// The tenant, its row locked until `work` ends, so a tenant-wide count (its apps against
    /// `max_apps`) is checked and changed by one writer at a time on either engine.
    /// - Throws: `NOT_FOUND` for an unknown tenant.
    package func locked(id: String, in work: UnitOfWork) async throws -> Tenant {
        try await store.lock(id: id, in: work)
        guard let tenant = try await store.tenant(id: id, in: work) else { throw Self.notFound(id) }
        return tenant
    }

    static func notFound(_ id: String) -> YizhanError { YizhanError(.notFound, "No tenant with id \(id).") }
}
