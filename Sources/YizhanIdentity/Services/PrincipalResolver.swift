import Foundation
import YizhanCore
import YizhanStorage

/// Authenticates a presented credential (an access token or an API key) into a ``Principal``.
///
/// A resolved principal is cached for at most ``cacheLifetime`` under the SHA-256 of the credential,
/// so a burst of requests costs one token check and one database read per second, and a revoked key,
/// ended session, changed role or suspended tenant takes effect within that second. Concurrent
/// requests with a credential that is not cached share one resolution instead of each running it.
public final class PrincipalResolver: Sendable {
    /// How long a resolved principal is reused.
    public static let cacheLifetime: Duration = .seconds(1)
    /// How often a key's `last_used_at` is written, at most.
    static let touchInterval: TimeInterval = 60
    private static let cacheLimit = 50_000

    private enum Entry: Sendable {
        case resolved(Principal, expiresAt: ContinuousClock.Instant)
        case resolving(Task<Principal, any Error>)
    }

    private let tenants: TenantStore
    private let users: UserStore
    private let refreshTokens: RefreshTokenStore
    private let apiKeys: APIKeyStore
    private let permissions: PermissionResolver
    private let accessTokens: AccessTokens
    private let cache = Synchronized<[String: Entry]>([:])
    private let lastTouched = Synchronized<[String: Date]>([:])

    public init(database: any Database, accessTokens: AccessTokens) {
        self.tenants = TenantStore(database: database)
        self.users = UserStore(database: database)
        self.refreshTokens = RefreshTokenStore(database: database)
        self.apiKeys = APIKeyStore(database: database)
        self.permissions = PermissionResolver(database: database)
        self.accessTokens = accessTokens
    }

    /// The principal of `credential`: an API key when it starts with `yz_`, an access token otherwise.
    /// - Throws: `UNAUTHORIZED` for anything not valid now; `TENANT_SUSPENDED` for a suspended tenant.
    public func resolve(_ credential: String) async throws -> Principal {
        let cacheKey = OpaqueSecret.hash(credential)
        let now = ContinuousClock.now
        let lookup = cache.write { cache -> Lookup in
            switch cache[cacheKey] {
            case .resolved(let principal, let expiresAt) where expiresAt > now:
                return .cached(principal)
            case .resolving(let task):
                return .pending(task)
            default:
                if cache.count >= Self.cacheLimit {
                    cache = cache.filter { if case .resolved(_, let expiresAt) = $0.value { expiresAt > now } else { true } }
                    if cache.count >= Self.cacheLimit { cache.removeAll() }
                }
                let task = Task { try await self.resolveUncached(credential, cacheKey: cacheKey) }
                cache[cacheKey] = .resolving(task)
                return .pending(task)
            }
        }
        switch lookup {
        case .cached(let principal): return principal
        case .pending(let task): return try await task.value
        }
    }

    private enum Lookup {
        case cached(Principal)
        case pending(Task<Principal, any Error>)
    }

    /// Checks the credential against the keys and the database, and caches the outcome: the
    /// principal for up to a second, or nothing (a failure is not cached).
    private func resolveUncached(_ credential: String, cacheKey: String) async throws -> Principal {
        do {
            let principal: Principal
            var validUntil = Date().addingTimeInterval(Self.cacheLifetime.seconds)
            if credential.hasPrefix(APIKeyService.secretPrefix) {
                principal = try await resolveAPIKey(secretHash: cacheKey, validUntil: &validUntil)
            } else {
                principal = try await resolveAccessToken(credential, validUntil: &validUntil)
            }
            let lifetime = min(Self.cacheLifetime, .milliseconds(Int64(max(0, validUntil.timeIntervalSinceNow) * 1000)))
            let expiresAt = ContinuousClock.now + lifetime
            cache.write { $0[cacheKey] = .resolved(principal, expiresAt: expiresAt) }
            return principal
        } catch {
            cache.write { $0[cacheKey] = nil }
            throw error
        }
    }

    /// Forgets every cached principal (tests, and after a bulk change).
    public func clearCache() {
        cache.write { $0.removeAll() }
    }

    private func resolveAccessToken(_ token: String, validUntil: inout Date) async throws -> Principal {
        guard let claims = try await accessTokens.verify(token) else { throw Self.unauthorized }
        validUntil = min(validUntil, claims.expiresAt)
        let tenant = try await activeTenant(claims.tenantID)
        guard let user = try await users.user(id: claims.userID, tenantID: tenant.id),
            try await refreshTokens.isSessionActive(claims.sessionID)
        else { throw Self.unauthorized }
        return Principal(
            tenantID: tenant.id, tenantCode: tenant.code, tenantName: tenant.name,
            actor: .user(id: user.id, email: user.email, sessionID: claims.sessionID),
            permissions: try await permissions.permissions(of: user.roles, in: tenant),
            roles: Set(user.roles))
    }

    private func resolveAPIKey(secretHash: String, validUntil: inout Date) async throws -> Principal {
        let now = Date()
        guard let key = try await apiKeys.key(secretHash: secretHash), key.isUsable(at: now) else {
            throw Self.unauthorized
        }
        if let expiresAt = key.expiresAt { validUntil = min(validUntil, expiresAt) }
        let tenant = try await activeTenant(key.tenantID)
        let due = lastTouched.write { touched -> Bool in
            if let last = touched[key.id], now.timeIntervalSince(last) < Self.touchInterval { return false }
            touched[key.id] = now
            return true
        }
        if due { try await apiKeys.touch(id: key.id, at: now) }
        return Principal(
            tenantID: tenant.id, tenantCode: tenant.code, tenantName: tenant.name,
            actor: .apiKey(id: key.id, name: key.name, createdBy: key.createdBy),
            permissions: key.permissions.filter { tenant.isPlatform || Permission.tenantScoped.contains($0) })
    }

    private func activeTenant(_ id: String) async throws -> Tenant {
        guard let tenant = try await tenants.tenant(id: id) else { throw Self.unauthorized }
        guard tenant.status == .active else { throw AuthService.suspended }
        return tenant
    }

    static let unauthorized = YizhanError(.unauthorized, "The credentials are missing, invalid or expired.")
}
