import Foundation
import YizhanCore
import YizhanIdentity
import YizhanStorage

/// Provider apps and robots of a tenant: registered with their credentials sealed under the
/// master key, listed and read without them, changed, disabled and deleted. Every change and
/// its audit entry commit together; no answer, error or audit entry carries a secret.
package struct AppService: Sendable {
    private let database: any Database
    private let clock: any TimeSource
    private let audit: AuditLog
    private let tenants: TenantService
    private let sealer: SecretSealer
    private let store = AppStore()
    private let tokens = TokenStore()
    private let contacts = ContactStore()
    /// Drops an app's tokens from this process's pool once a change that made them useless commits.
    private let forgetTokens: @Sendable (String) -> Void
    /// Where apps may send provider calls.
    let egress: ProviderEgressPolicy

    init(
        database: any Database, clock: any TimeSource, audit: AuditLog, tenants: TenantService, vault: SecretVault?,
        egress: ProviderEgressPolicy, forgetTokens: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.database = database
        self.clock = clock
        self.audit = audit
        self.tenants = tenants
        self.sealer = SecretSealer(vault: vault)
        self.forgetTokens = forgetTokens
        self.egress = egress
    }

    /// Registers an app for the tenant.
    /// - Throws: `VALIDATION_ERROR` naming the field; `CONFLICT` when the tenant has this app
    ///   already; `QUOTA_EXCEEDED` past the tenant's `max_apps`; `MASTER_KEY_MISSING` when no
    ///   master key is configured. A `base_url` the ``ProviderEgressPolicy`` refuses is a 422
    ///   `VALIDATION_ERROR`.
    package func create(_ registration: AppRegistration, tenantID: String) async throws -> ProviderApp {
        let checked = try AppInput.check(
            name: registration.name, provider: registration.provider, baseURL: registration.baseURL,
            credentials: registration.credentials, egress: egress)
        let now = clock.now()
        let app = ProviderApp(
            id: IdentityID.make("app"), tenantID: tenantID, name: checked.name, provider: registration.provider,
            baseURL: checked.baseURL, status: .active, identifiers: checked.identifiers,
            secretNames: checked.secrets.keys.sorted(), createdAt: now, updatedAt: now)
        let sealed = try sealer.seal(checked.secrets, appID: app.id)
        try await database.transaction { work in
            let tenant = try await tenants.locked(id: tenantID, in: work)
            if let limit = tenant.quotas.maxApps, try await store.count(tenantID: tenantID, in: work) >= limit {
                throw YizhanError(
                    .quotaExceeded, "The tenant's max_apps quota of \(limit) is used up.",
                    details: ["quota": .string("max_apps"), "limit": .int(limit)])
            }
            if try await store.existing(
                tenantID: tenantID, provider: app.provider, identityKey: checked.identityKey, in: work) != nil
            {
                throw YizhanError(
                    .conflict, "The tenant has this \(app.provider.rawValue) app already.", details: ["field": .string("credentials")])
            }
            try await store.insert(.init(app: app, identityKey: checked.identityKey, sealedSecrets: sealed), in: work)
            try await audit.record(
                "app.create", tenantID: tenantID, target: .init("app", app.id),
                details: Self.auditDetails(app).merging(["secrets_set": app.secretNames.joined(separator: " ")]) { $1 }, in: work)
        }
        return app
    }

    /// The tenant's apps, newest first.
    package func list(tenantID: String, provider: AppProvider?, status: ProviderApp.Status?, page: PageRequest) async throws -> Page<ProviderApp> {
        try await database.withConnection { work in
            try await store.list(tenantID: tenantID, provider: provider, status: status, page: page, in: work)
        }
    }

    /// The tenant's app `id`; `NOT_FOUND` for another tenant's or none.
    package func app(id: String, tenantID: String) async throws -> ProviderApp {
        guard let app = try await database.withConnection({ work in try await store.app(id: id, tenantID: tenantID, in: work) }) else {
            throw Self.notFound(id)
        }
        return app
    }

    /// The app and its opened secrets, for a provider call (never for an answer).
    /// - Throws: `NOT_FOUND`; `APP_DISABLED` for a disabled app; `MASTER_KEY_MISSING` when the key
    ///   that sealed them is not configured; a 422 `VALIDATION_ERROR` when the app's base URL is no
    ///   longer one the ``ProviderEgressPolicy`` allows (an operator narrowed it).
    package func credentials(id: String, tenantID: String) async throws -> (app: ProviderApp, secrets: AppSecrets) {
        let found = try await database.withConnection { work -> (ProviderApp, String)? in
            guard let app = try await store.app(id: id, tenantID: tenantID, in: work),
                let sealed = try await store.sealedSecrets(id: id, tenantID: tenantID, in: work)
            else { return nil }
            return (app, sealed)
        }
        guard let (app, sealed) = found else { throw Self.notFound(id) }
        guard app.status == .active else { throw Self.disabled(id) }
        if let refusal = egress.refusal(of: app.baseURL, provider: app.provider) {
            throw YizhanError(
                .validationError, "App \(id)'s base_url \(refusal); an operator allows it or the app moves.",
                details: ["field": .string("base_url"), "app_id": .string(id)], status: 422)
        }
        return (app, try sealer.open(sealed, appID: id))
    }

    /// Changes the tenant's app: name, base URL, status, and the secrets named in `changes`.
    package func update(id: String, tenantID: String, _ changes: AppChanges) async throws -> ProviderApp {
        let name = try changes.name.map { name throws(YizhanError) in try InputRules.name(name) }
        let baseURL = try changes.baseURL.map { url throws(YizhanError) in try AppInput.baseURL(url) }
        return try await database.transaction { work in
            // Locked, so two changes of one app's secrets cannot both reseal from the same old value.
            try await store.lock(id: id, tenantID: tenantID, in: work)
            guard var app = try await store.app(id: id, tenantID: tenantID, in: work),
                let sealed = try await store.sealedSecrets(id: id, tenantID: tenantID, in: work)
            else { throw Self.notFound(id) }
            let replacements = try AppInput.replacements(changes.secrets, provider: app.provider)
            if let baseURL, baseURL != app.baseURL {
                try AppInput.checkMove(of: app.provider, secrets: replacements)
                try egress.check(baseURL, provider: app.provider)
            }
            var resealed: String?
            if !replacements.isEmpty {
                let secrets = try sealer.open(sealed, appID: id).values.merging(replacements) { $1 }
                resealed = try sealer.seal(secrets, appID: id)
                app.secretNames = secrets.keys.sorted()
            }
            var changed: [String] = []
            if let name, name != app.name { app.name = name; changed.append("name") }
            var details: [String: String] = [:]
            if let baseURL, baseURL != app.baseURL {
                details["previous_base_url"] = app.baseURL
                app.baseURL = baseURL
                changed.append("base_url")
            }
            if let status = changes.status, status != app.status { app.status = status; changed.append("status") }
            guard !changed.isEmpty || resealed != nil else { return app }
            app.updatedAt = clock.now()
            try await store.update(app, sealedSecrets: resealed, in: work)
            if resealed != nil || changed.contains("base_url") {
                // Tokens bought with the old secret or from the old base URL are not to be used on,
                // nor the people they found; users' authorizations survive a new secret, not a move
                // to another deployment.
                if changed.contains("base_url") {
                    try await tokens.deleteAll(appID: id, in: work)
                } else {
                    try await tokens.deleteAllButUserGrants(appID: id, in: work)
                }
                try await contacts.deleteAll(appID: id, in: work)
                let forgetTokens = forgetTokens
                work.afterCommit { forgetTokens(id) }
            }
            details.merge(Self.auditDetails(app)) { $1 }
            details["changed"] = changed.joined(separator: " ")
            if !replacements.isEmpty { details["secrets_replaced"] = replacements.keys.sorted().joined(separator: " ") }
            let action = changes.status != nil && changed.contains("status") ? "app.\(app.status == .active ? "enable" : "disable")" : "app.update"
            try await audit.record(action, tenantID: tenantID, target: .init("app", id), details: details, in: work)
            return app
        }
    }

    /// Deletes the tenant's app and its sealed secrets; returns what it was.
    package func delete(id: String, tenantID: String) async throws -> ProviderApp {
        try await database.transaction { work in
            try await store.lock(id: id, tenantID: tenantID, in: work)
            guard let app = try await store.app(id: id, tenantID: tenantID, in: work) else { throw Self.notFound(id) }
            try await store.delete(id: id, tenantID: tenantID, in: work)
            let forgetTokens = forgetTokens
            work.afterCommit { forgetTokens(id) }
            try await audit.record("app.delete", tenantID: tenantID, target: .init("app", id), details: Self.auditDetails(app), in: work)
            return app
        }
    }

    static func notFound(_ id: String) -> YizhanError { YizhanError(.notFound, "No app with id \(id).") }

    static func disabled(_ id: String) -> YizhanError {
        YizhanError(.appDisabled, "App \(id) is disabled.", details: ["app_id": .string(id)])
    }

    /// What an audit entry says of an app: its name, provider and identifiers, never a secret.
    static func auditDetails(_ app: ProviderApp) -> [String: String] {
        var details = ["name": app.name, "provider": app.provider.rawValue, "base_url": app.baseURL]
        for (key, value) in app.identifiers { details[key] = value }
        return details
    }
}
