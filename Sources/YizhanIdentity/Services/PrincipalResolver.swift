import Foundation
import YizhanCore
import YizhanStorage

/// Authenticates a presented credential (an access token or an API key) into a ``Principal``.
///
/// A resolved principal is cached for at most ``cacheLifetime`` under the SHA-256 of the credential,
/// so a burst of requests costs one token check and one database read per second. The services
/// that change sessions, roles, users, keys or tenants clear the cache when their change commits,
/// so this process sees it at once and other processes within the second. Concurrent requests with
/// a credential that is not cached share one resolution instead of each running it.
package final class PrincipalResolver: Sendable {
    /// How long a resolved principal is reused.
    package static let cacheLifetime: Duration = .seconds(1)
    /// How often a key's `last_used_at` is written, at most.
    static let touchInterval: TimeInterval = 60
    /// How many keys' last writes are remembered; beyond it, the oldest are forgotten.
    static let touchedLimit = 10_000

    private let database: any Database
    private let clock: any TimeSource
    private let cache: PrincipalCache
    private let accessTokens: AccessTokens
    private let tenants = TenantStore()
    private let users = UserStore()
    private let refreshTokens = RefreshTokenStore()
    private let apiKeys = APIKeyStore()
    private let permissions = PermissionResolver()
    private let lastTouched = Synchronized<[String: Date]>([:])

    init(database: any Database, clock: any TimeSource, cache: PrincipalCache, accessTokens: AccessTokens) {
        self.database = database
        self.clock = clock
        self.cache = cache
        self.accessTokens = accessTokens
    }

    /// The principal of `credential`: an API key when it starts with `yz_`, an access token otherwise.
    /// - Throws: `UNAUTHORIZED` for anything not valid now; `TENANT_SUSPENDED` for a suspended tenant.
    package func resolve(_ credential: String) async throws -> Principal {
        let cacheKey = OpaqueSecret.hash(credential)
        let now = clock.uptime()
        let lookup = cache.entries.write { cache -> Lookup in
            switch cache[cacheKey] {
            case .resolved(let principal, let expiresAt) where expiresAt > now:
                return .cached(principal)
            case .resolving(let task):
                return .pending(task)
            default:
                if cache.count >= PrincipalCache.limit {
                    cache = cache.filter { if case .resolved(_, let expiresAt) = $0.value { expiresAt > now } else { true } }
                    if cache.count >= PrincipalCache.limit { cache.removeAll() }
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
            let now = clock.now()
            var validUntil = now.addingTimeInterval(Self.cacheLifetime.seconds)
            let principal: Principal
            if credential.hasPrefix(APIKeyService.secretPrefix) {
                principal = try await resolveAPIKey(secretHash: cacheKey, now: now, validUntil: &validUntil)
            } else {
                principal = try await resolveAccessToken(credential, now: now, validUntil: &validUntil)
            }
            let lifetime = min(Self.cacheLifetime, .milliseconds(Int64(max(0, validUntil.timeIntervalSince(now)) * 1000)))
            let expiresAt = clock.uptime() + lifetime
            cache.entries.write { $0[cacheKey] = .resolved(principal, expiresAt: expiresAt) }
            return principal
        } catch {
            cache.entries.write { $0[cacheKey] = nil }
            throw error
        }
    }

    /// Forgets every cached principal (tests, and after a bulk change).
    package func clearCache() {
        cache.clear()
    }

    private func resolveAccessToken(_ token: String, now: Date, validUntil: inout Date) async throws -> Principal {
        guard let claims = try await accessTokens.verify(token, now: now) else { throw Self.unauthorized }
        validUntil = min(validUntil, claims.expiresAt)
        return try await database.withConnection { work in
            let tenant = try await activeTenant(claims.tenantID, in: work)
            guard let user = try await users.user(id: claims.userID, tenantID: tenant.id, in: work),
                // A token issued before the password last changed is void, whatever its session.
                Timestamp.milliseconds(claims.issuedAt) >= Timestamp.milliseconds(user.passwordChangedAt),
                try await refreshTokens.isSessionActive(claims.sessionID, in: work)
            else { throw Self.unauthorized }
            return Principal(
                tenantID: tenant.id, tenantCode: tenant.code, tenantName: tenant.name,
                actor: .user(id: user.id, email: user.email, sessionID: claims.sessionID),
                permissions: try await permissions.permissions(of: user.roles, in: tenant, in: work),
                roles: Set(user.roles))
        }
    }

    private func resolveAPIKey(secretHash: String, now: Date, validUntil: inout Date) async throws -> Principal {
        let (key, tenant, granted) = try await database.withConnection { work in
            guard let key = try await apiKeys.key(secretHash: secretHash, in: work), key.isUsable(at: now) else {
                throw Self.unauthorized
            }
            let tenant = try await activeTenant(key.tenantID, in: work)
            var granted = key.permissions.filter { tenant.isPlatform || Permission.tenantScoped.contains($0) }
            // A user's key never does more than the user can do now; a key of a deleted user is void.
            if key.createdBy != APIKeyService.commandLineCreator {
                guard let creator = try await users.user(id: key.createdBy, tenantID: tenant.id, in: work) else {
                    throw Self.unauthorized
                }
                granted.formIntersection(try await permissions.permissions(of: creator.roles, in: tenant, in: work))
            }
            return (key, tenant, granted)
        }
        if let expiresAt = key.expiresAt { validUntil = min(validUntil, expiresAt) }
        if markTouched(key.id, at: now) {
            // Best effort: a busy database must not fail the request over a last-used stamp.
            try? await database.withConnection { work in try await apiKeys.touch(id: key.id, at: now, in: work) }
        }
        return Principal(
            tenantID: tenant.id, tenantCode: tenant.code, tenantName: tenant.name,
            actor: .apiKey(id: key.id, name: key.name, createdBy: key.createdBy),
            permissions: granted)
    }

    /// Whether the key's `last_used_at` is due a write, remembering that it is being written.
    private func markTouched(_ keyID: String, at now: Date) -> Bool {
        lastTouched.write { touched -> Bool in
            if let last = touched[keyID], now.timeIntervalSince(last) < Self.touchInterval { return false }
            if touched.count >= Self.touchedLimit {
                touched = touched.filter { now.timeIntervalSince($0.value) < Self.touchInterval }
                if touched.count >= Self.touchedLimit { touched.removeAll() }
            }
            touched[keyID] = now
            return true
        }
    }

    private func activeTenant(_ id: String, in work: UnitOfWork) async throws -> Tenant {
        guard let tenant = try await tenants.tenant(id: id, in: work) else { throw Self.unauthorized }
        guard tenant.status == .active else { throw AuthService.suspended }
        return tenant
    }

    static let unauthorized = YizhanError(.unauthorized, "The credentials are missing, invalid or expired.")
}
