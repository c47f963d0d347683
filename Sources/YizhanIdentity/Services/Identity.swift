import YizhanCore
import YizhanStorage

/// The identity layer, wired once per process: every service shares the same database, clock,
/// hasher, token keys, principal cache and rate limiter. A class, so handing it around costs one
/// reference count. Callers (HTTP handlers, the CLI) go through these services only; the stores
/// behind them are internal.
package final class Identity: Sendable {
    package let configuration: IdentityConfiguration
    package let audit: AuditLog
    package let auth: AuthService
    package let principals: PrincipalResolver
    package let tenants: TenantService
    package let users: UserService
    package let roles: RoleService
    package let apiKeys: APIKeyService
    package let quotas: QuotaService
    package let rateLimiter: RateLimiter
    package let accessTokens: AccessTokens
    /// Deletes expired tokens, idle throttle counters and old audit entries.
    package let maintenance: IdentityMaintenance

    /// - Parameters:
    ///   - keyVault: Seals the signing key kept in the database when none is configured.
    ///   - clock: Where every service reads time.
    package init(
        database: any Database, configuration: IdentityConfiguration, keyVault: SecretVault?,
        clock: any TimeSource = SystemTimeSource()
    ) {
        self.configuration = configuration
        let hasher = PasswordHasher(cost: configuration.bcryptCost)
        let configured = configuration.signingKeys
        let accessTokens = AccessTokens(lifetime: configuration.accessTokenLifetime) {
            if !configured.isEmpty { return configured }
            guard let keyVault else { throw StoredSigningKey.noVault }
            return [try await StoredSigningKey.load(from: database, vault: keyVault)]
        }
        let cache = PrincipalCache()
        let audit = AuditLog(database: database, clock: clock)
        self.audit = audit
        self.accessTokens = accessTokens
        self.auth = AuthService(
            database: database, clock: clock, hasher: hasher, accessTokens: accessTokens,
            refreshLifetime: configuration.refreshTokenLifetime, audit: audit, cache: cache)
        self.principals = PrincipalResolver(database: database, clock: clock, cache: cache, accessTokens: accessTokens)
        self.tenants = TenantService(database: database, clock: clock, hasher: hasher, audit: audit, cache: cache)
        self.users = UserService(
            database: database, clock: clock, hasher: hasher, audit: audit, cache: cache, permissions: PermissionResolver())
        self.roles = RoleService(database: database, clock: clock, audit: audit, cache: cache)
        self.apiKeys = APIKeyService(database: database, clock: clock, audit: audit, cache: cache)
        self.quotas = QuotaService(database: database, clock: clock)
        self.maintenance = IdentityMaintenance(database: database, clock: clock)
        self.rateLimiter = RateLimiter(
            perSecond: configuration.rateLimitPerSecond, burst: configuration.rateLimitBurst, clock: clock)
    }
}
