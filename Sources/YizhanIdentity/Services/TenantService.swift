import Foundation
import YizhanCore
import YizhanStorage

/// Tenants, managed by platform administrators.
public struct TenantService: Sendable {
    /// The owner created with a tenant.
    public struct Owner: Sendable {
        public var email: String
        public var password: String
        public var name: String?

        public init(email: String, password: String, name: String? = nil) {
            self.email = email
            self.password = password
            self.name = name
        }
    }

    public let store: TenantStore
    private let users: UserStore
    private let database: any Database
    private let hasher: PasswordHasher
    private let audit: AuditLog

    public init(database: any Database, hasher: PasswordHasher, audit: AuditLog) {
        self.store = TenantStore(database: database)
        self.users = UserStore(database: database)
        self.database = database
        self.hasher = hasher
        self.audit = audit
    }

    /// Creates a tenant, and its `owner` user when `owner` is given, in one transaction: either both
    /// exist afterwards or neither.
    public func create(code: String, name: String, quotas: TenantQuotas, owner: Owner?, ownerRoles: [String] = [BuiltInRole.owner.rawValue]) async throws -> (tenant: Tenant, owner: User?) {
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
        let store = store, users = users, input = ownerInput
        let created = try await UniqueTransaction.run(in: database) { sql in
            let tenant = try await store.create(code: code, name: name, quotas: quotas, on: sql)
            var user: User?
            if let input {
                user = try await users.create(
                    tenantID: tenant.id, email: input.email, name: input.name, passwordHash: input.hash, roles: ownerRoles, on: sql)
            }
            return (tenant, user)
        }
        try await audit.record(
            "tenant.create", tenantID: created.0.id, target: .init("tenant", created.0.id),
            details: ["code": code, "owner": created.1?.email ?? ""])
        return created
    }

    /// Applies a `PATCH`; suspending refuses the tenant's users and keys from then on.
    public func update(id: String, _ changes: TenantStore.Changes) async throws -> Tenant {
        var changes = changes
        if let name = changes.name { changes.name = try InputRules.name(name) }
        if let value = changes.maxApps { _ = try InputRules.quota(value, field: "max_apps") }
        if let value = changes.maxAccounts { _ = try InputRules.quota(value, field: "max_accounts") }
        if let value = changes.maxDailyMessages { _ = try InputRules.quota(value, field: "max_daily_messages") }
        guard let before = try await store.tenant(id: id) else { throw YizhanError(.notFound, "No tenant with id \(id).") }
        if before.isPlatform && changes.status == .suspended {
            throw YizhanError(.conflict, "The platform tenant cannot be suspended.")
        }
        guard let tenant = try await store.update(id: id, changes) else { throw YizhanError(.notFound, "No tenant with id \(id).") }
        var details: [String: String] = [:]
        if before.status != tenant.status { details["status"] = tenant.status.rawValue }
        if before.name != tenant.name { details["name"] = tenant.name }
        if before.quotas != tenant.quotas { details["quotas"] = "changed" }
        let action = before.status != tenant.status ? (tenant.status == .suspended ? "tenant.suspend" : "tenant.activate") : "tenant.update"
        try await audit.record(action, tenantID: id, target: .init("tenant", id), details: details)
        return tenant
    }
}
