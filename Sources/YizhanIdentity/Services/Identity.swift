import YizhanStorage

/// The identity layer, wired once per process: every service shares the same hasher, token keys,
/// principal cache and rate limiter. A class, so handing it around costs one reference count.
public final class Identity: Sendable {
    public let configuration: IdentityConfiguration
    public let audit: AuditLog
    public let auth: AuthService
    public let principals: PrincipalResolver
    public let tenants: TenantService
    public let users: UserService
    public let roles: RoleService
    public let apiKeys: APIKeyService
    public let quotas: QuotaService
    public let rateLimiter: RateLimiter
    public let accessTokens: AccessTokens

    public init(database: any Database, configuration: IdentityConfiguration) {
        self.configuration = configuration
        let hasher = PasswordHasher(cost: configuration.bcryptCost)
        let configured = configuration.signingKeys
        let accessTokens = AccessTokens(lifetime: configuration.accessTokenLifetime) {
            configured.isEmpty ? [try await StoredSigningKey.load(from: database)] : configured
        }
        let audit = AuditLog(database: database)
        self.audit = audit
        self.accessTokens = accessTokens
        self.auth = AuthService(
            database: database, hasher: hasher, accessTokens: accessTokens,
            refreshLifetime: configuration.refreshTokenLifetime, audit: audit)
        self.principals = PrincipalResolver(database: database, accessTokens: accessTokens)
        self.tenants = TenantService(database: database, hasher: hasher, audit: audit)
        self.users = UserService(database: database, hasher: hasher, audit: audit)
        self.roles = RoleService(database: database, audit: audit)
        self.apiKeys = APIKeyService(database: database, audit: audit)
        self.quotas = QuotaService(database: database)
        self.rateLimiter = RateLimiter(perSecond: configuration.rateLimitPerSecond, burst: configuration.rateLimitBurst)
    }
}
