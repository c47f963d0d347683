import Foundation
import YizhanCore
import YizhanStorage

/// Login, refresh with rotation and reuse detection, and logout.
public struct AuthService: Sendable {
    private let tenants: TenantStore
    private let users: UserStore
    private let refreshTokens: RefreshTokenStore
    private let throttle: LoginThrottleStore
    private let hasher: PasswordHasher
    private let accessTokens: AccessTokens
    private let refreshLifetime: Duration
    private let audit: AuditLog

    public init(
        database: any Database, hasher: PasswordHasher, accessTokens: AccessTokens, refreshLifetime: Duration,
        audit: AuditLog
    ) {
        self.tenants = TenantStore(database: database)
        self.users = UserStore(database: database)
        self.refreshTokens = RefreshTokenStore(database: database)
        self.throttle = LoginThrottleStore(database: database)
        self.hasher = hasher
        self.accessTokens = accessTokens
        self.refreshLifetime = refreshLifetime
        self.audit = audit
    }

    /// Checks the password and opens a session. Every failure of tenant, email or password is the
    /// same `UNAUTHORIZED`, takes as long, and counts against the account and the client address.
    public func login(tenantCode: String, email: String, password: String) async throws -> TokenPair {
        let tenantCode = tenantCode.trimmingCharacters(in: .whitespaces).lowercased()
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        var keys = [LoginThrottleStore.accountKey(tenantCode: tenantCode, email: email)]
        if let address = ClientAddress.current { keys.append(LoginThrottleStore.addressKey(address)) }

        let tenant = try await tenants.tenant(code: tenantCode)
        if let lockedUntil = try await throttle.lockedUntil(keys) {
            try await audit.record("auth.login", outcome: "failure", tenantID: tenant?.id, actorLabel: email, details: ["reason": "locked"])
            let seconds = max(1, Int(lockedUntil.timeIntervalSinceNow.rounded(.up)))
            throw YizhanError(
                .rateLimited, "Too many failed logins; try again in \(seconds) s.",
                details: ["retry_after_seconds": .int(seconds)], headers: ["Retry-After": String(seconds)])
        }
        var credentials: (user: User, passwordHash: String)?
        if let tenant { credentials = try await users.credentials(email: email, tenantID: tenant.id) }
        guard try await hasher.verify(password, against: credentials?.passwordHash), let tenant, let user = credentials?.user else {
            try await throttle.recordFailure(keys)
            try await audit.record("auth.login", outcome: "failure", tenantID: tenant?.id, actorLabel: email, details: ["reason": "invalid_credentials"])
            throw YizhanError(.unauthorized, "The tenant, email or password is wrong.")
        }
        guard tenant.status == .active else {
            try await audit.record("auth.login", outcome: "failure", tenantID: tenant.id, target: .init("user", user.id), actorLabel: email, details: ["reason": "tenant_suspended"])
            throw Self.suspended
        }
        try await throttle.reset(keys)
        let pair = try await openSession(user: user)
        try await audit.record("auth.login", tenantID: tenant.id, target: .init("user", user.id), actorLabel: email)
        return pair
    }

    /// Rotates `refreshToken`: answers a new pair and voids the presented token. A token presented a
    /// second time revokes its whole session.
    public func refresh(_ refreshToken: String) async throws -> TokenPair {
        let next = OpaqueSecret.random(prefix: Self.refreshPrefix)
        let rotation = try await refreshTokens.rotate(
            hash: OpaqueSecret.hash(refreshToken), to: OpaqueSecret.hash(next),
            expiresAt: Date().addingTimeInterval(refreshLifetime.seconds))
        switch rotation {
        case .invalid:
            throw YizhanError(.unauthorized, "The refresh token is invalid or expired.")
        case .reused(let userID, let tenantID, let familyID):
            try await audit.record(
                "auth.refresh_reuse", outcome: "failure", tenantID: tenantID, target: .init("user", userID),
                actorLabel: "refresh token", details: ["session": familyID, "result": "session_revoked"])
            throw YizhanError(.unauthorized, "The refresh token was used before; the session is revoked. Log in again.")
        case .rotated(let userID, let tenantID, let familyID):
            guard let tenant = try await tenants.tenant(id: tenantID), let user = try await users.user(id: userID, tenantID: tenantID) else {
                try await refreshTokens.revokeFamily(familyID)
                throw YizhanError(.unauthorized, "The refresh token is invalid or expired.")
            }
            guard tenant.status == .active else { throw Self.suspended }
            let access = try await accessTokens.issue(userID: user.id, tenantID: tenantID, sessionID: familyID)
            return TokenPair(accessToken: access, refreshToken: next, expiresIn: expiresIn)
        }
    }

    /// Ends the session of the current access token.
    public func logout(_ principal: Principal) async throws {
        guard case .user(let userID, _, let sessionID) = principal.actor else {
            throw YizhanError(.forbidden, "Only a user's session can be logged out; revoke an API key instead.")
        }
        try await refreshTokens.revokeFamily(sessionID)
        try await audit.record("auth.logout", target: .init("user", userID))
    }

    /// Ends every session of the current user.
    public func logoutAll(_ principal: Principal) async throws {
        guard let userID = principal.userID else {
            throw YizhanError(.forbidden, "Only a user's sessions can be logged out; revoke an API key instead.")
        }
        try await refreshTokens.revokeAll(userID: userID)
        try await audit.record("auth.logout_all", target: .init("user", userID))
    }

    private func openSession(user: User) async throws -> TokenPair {
        let familyID = IdentityID.make("ses")
        let refresh = OpaqueSecret.random(prefix: Self.refreshPrefix)
        try await refreshTokens.insert(
            hash: OpaqueSecret.hash(refresh), familyID: familyID, userID: user.id, tenantID: user.tenantID,
            expiresAt: Date().addingTimeInterval(refreshLifetime.seconds))
        let access = try await accessTokens.issue(userID: user.id, tenantID: user.tenantID, sessionID: familyID)
        return TokenPair(accessToken: access, refreshToken: refresh, expiresIn: expiresIn)
    }

    private var expiresIn: Int { Int(accessTokens.lifetime.seconds) }

    /// Refresh tokens start with `yzr_`, so a leaked one is recognisable in a secret scanner.
    static let refreshPrefix = "yzr_"

    static let suspended = YizhanError(.tenantSuspended, "The tenant is suspended.")
}
