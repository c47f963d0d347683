import Foundation
import YizhanCore
import YizhanStorage

/// Login, refresh with rotation and reuse detection, and logout.
package struct AuthService: Sendable {
    private let database: any Database
    private let clock: any TimeSource
    private let hasher: PasswordHasher
    private let accessTokens: AccessTokens
    private let refreshLifetime: Duration
    private let audit: AuditLog
    private let cache: PrincipalCache
    private let tenants = TenantStore()
    private let users = UserStore()
    private let refreshTokens = RefreshTokenStore()
    private let throttle = LoginThrottleStore()

    init(
        database: any Database, clock: any TimeSource, hasher: PasswordHasher, accessTokens: AccessTokens,
        refreshLifetime: Duration, audit: AuditLog, cache: PrincipalCache
    ) {
        self.database = database
        self.clock = clock
        self.hasher = hasher
        self.accessTokens = accessTokens
        self.refreshLifetime = refreshLifetime
        self.audit = audit
        self.cache = cache
    }

    /// The longest tenant code a login accepts (codes are 2 to 63 characters).
    package static let maximumTenantCodeLength = 63
    /// The longest email a login accepts (RFC 5321's 254 octets).
    package static let maximumEmailLength = 254

    /// Checks the password and opens a session. Every failure of tenant, email or password is the
    /// same `UNAUTHORIZED` and takes as long. Each attempt counts against the account and the client
    /// address before the password is checked; while either is locked out, attempts are refused
    /// with `RATE_LIMITED` and no password check.
    package func login(tenantCode: String, email: String, password: String) async throws -> TokenPair {
        let tenantCode = tenantCode.trimmingCharacters(in: .whitespaces).lowercased()
        let email = email.trimmingCharacters(in: .whitespaces).lowercased()
        guard tenantCode.utf8.count <= Self.maximumTenantCodeLength else {
            throw InputRules.invalid("tenant", "must be at most \(Self.maximumTenantCodeLength) characters")
        }
        guard email.utf8.count <= Self.maximumEmailLength else {
            throw InputRules.invalid("email", "must be at most \(Self.maximumEmailLength) bytes")
        }
        for (field, value) in [("tenant", tenantCode), ("email", email)] where InputRules.hasControlCharacters(value) {
            throw InputRules.invalid(field, "must not contain control characters", status: 422)
        }
        let keys = [LoginThrottleStore.accountKey(tenantCode: tenantCode, email: email)]
            + (ClientAddress.current.map { [LoginThrottleStore.addressKey($0)] } ?? [])
        try await accessTokens.loadKeys()  // before any transaction: a first load may write a setting

        let now = clock.now()
        let (admission, tenant, credentials) = try await database.transaction { work in
            let tenant = try await tenants.tenant(code: tenantCode, in: work)
            let admission = try await throttle.admit(keys, now: now, in: work)
            guard case .admitted = admission else {
                if case .refused(_, isFirstRefusal: true) = admission {
                    try await audit.record(
                        "auth.login", outcome: "failure", tenantID: tenant?.id, actorLabel: email,
                        details: ["reason": "locked"], in: work)
                }
                return (admission, tenant, nil as (user: User, passwordHash: String)?)
            }
            guard let tenant else { return (admission, nil, nil) }
            return (admission, tenant, try await users.credentials(email: email, tenantID: tenant.id, in: work))
        }
        guard case .admitted(let refusedWhileLocked) = admission else {
            if case .refused(let until, _) = admission { throw Self.lockedOut(until: until, now: now) }
            throw Self.invalidCredentials
        }
        var details: [String: String] = [:]
        if refusedWhileLocked > 0 { details["refused_while_locked"] = String(refusedWhileLocked) }

        guard try await hasher.verify(password, against: credentials?.passwordHash), let tenant, let user = credentials?.user else {
            details["reason"] = "invalid_credentials"
            try await database.transaction { [details] work in
                try await audit.record("auth.login", outcome: "failure", tenantID: tenant?.id, actorLabel: email, details: details, in: work)
            }
            throw Self.invalidCredentials
        }
        guard tenant.status == .active else {
            details["reason"] = "tenant_suspended"
            try await database.transaction { [details] work in
                try await throttle.succeeded(keys, in: work)
                try await audit.record(
                    "auth.login", outcome: "failure", tenantID: tenant.id, target: .init("user", user.id), actorLabel: email,
                    details: details, in: work)
            }
            throw Self.suspended
        }
        let verifiedHash = credentials?.passwordHash
        let sessionStart = clock.now()  // after bcrypt and its queue: the tokens' lifetimes start now
        return try await database.transaction { [details] work in
            // The password may have changed (and every session been revoked) while bcrypt ran: a
            // session opened from the old password must not outlive that change.
            try await users.lock(id: user.id, in: work)
            guard try await users.credentials(id: user.id, tenantID: tenant.id, in: work)?.passwordHash == verifiedHash else {
                throw Self.invalidCredentials
            }
            try await throttle.succeeded(keys, in: work)
            let pair = try await openSession(user: user, now: sessionStart, in: work)
            try await audit.record(
                "auth.login", tenantID: tenant.id, target: .init("user", user.id), actorLabel: email, details: details, in: work)
            return pair
        }
    }

    private enum RefreshOutcome: Sendable {
        case rotated(TokenPair)
        case reused
        case invalid
    }

    /// Rotates `refreshToken`: answers a new pair and voids the presented token. A token presented a
    /// second time revokes its whole session. The rotation commits only with the checks and the
    /// signing: a refresh refused because the tenant is suspended leaves the token usable.
    package func refresh(_ refreshToken: String) async throws -> TokenPair {
        let next = OpaqueSecret.random(prefix: Self.refreshPrefix)
        let presented = OpaqueSecret.hash(refreshToken)
        let now = clock.now()
        let expiresAt = now.addingTimeInterval(refreshLifetime.seconds)
        try await accessTokens.loadKeys()
        let outcome = try await database.transaction { work -> RefreshOutcome in
            guard let owner = try await refreshTokens.owner(hash: presented, in: work) else { return .invalid }
            try await users.lock(id: owner, in: work)
            let rotation = try await refreshTokens.rotate(
                hash: presented, to: OpaqueSecret.hash(next), expiresAt: expiresAt, now: now, in: work)
            switch rotation {
            case .invalid:
                return .invalid
            case .reused(let userID, let tenantID, let familyID):
                try await audit.record(
                    "auth.refresh_reuse", outcome: "failure", tenantID: tenantID, target: .init("user", userID),
                    actorLabel: "refresh token", details: ["session": familyID, "result": "session_revoked"], in: work)
                work.invalidates(cache)
                return .reused
            case .rotated(let userID, let tenantID, let familyID, let issuedAt):
                guard let tenant = try await tenants.tenant(id: tenantID, in: work),
                    let user = try await users.user(id: userID, tenantID: tenantID, in: work),
                    // A token issued before the password last changed belongs to a session that
                    // change revoked (or raced): it never rotates.
                    Timestamp.milliseconds(issuedAt) >= Timestamp.milliseconds(user.passwordChangedAt)
                else {
                    try await refreshTokens.revokeFamily(familyID, now: now, in: work)
                    return .invalid
                }
                guard tenant.status == .active else { throw Self.suspended }
                let access = try await accessTokens.issue(userID: user.id, tenantID: tenantID, sessionID: familyID, now: now)
                return .rotated(TokenPair(accessToken: access, refreshToken: next, expiresIn: expiresIn))
            }
        }
        switch outcome {
        case .rotated(let pair): return pair
        case .reused: throw YizhanError(.unauthorized, "The refresh token was used before; the session is revoked. Log in again.")
        case .invalid: throw YizhanError(.unauthorized, "The refresh token is invalid or expired.")
        }
    }

    /// Ends the session of the current access token.
    package func logout(_ principal: Principal) async throws {
        guard case .user(let userID, _, let sessionID) = principal.actor else {
            throw YizhanError(.forbidden, "Only a user's session can be logged out; revoke an API key instead.")
        }
        let now = clock.now()
        try await database.transaction { work in
            try await users.lock(id: userID, in: work)
            try await refreshTokens.revokeFamily(sessionID, now: now, in: work)
            try await audit.record("auth.logout", target: .init("user", userID), in: work)
            work.invalidates(cache)
        }
    }

    /// Ends every session of the current user.
    package func logoutAll(_ principal: Principal) async throws {
        guard let userID = principal.userID else {
            throw YizhanError(.forbidden, "Only a user's sessions can be logged out; revoke an API key instead.")
        }
        let now = clock.now()
        try await database.transaction { work in
            try await users.lock(id: userID, in: work)
            try await refreshTokens.revokeAll(userID: userID, now: now, in: work)
            try await audit.record("auth.logout_all", target: .init("user", userID), in: work)
            work.invalidates(cache)
        }
    }

    private func openSession(user: User, now: Date, in work: UnitOfWork) async throws -> TokenPair {
        let familyID = IdentityID.make("ses")
        let refresh = OpaqueSecret.random(prefix: Self.refreshPrefix)
        try await refreshTokens.insert(
            hash: OpaqueSecret.hash(refresh), familyID: familyID, userID: user.id, tenantID: user.tenantID,
            issuedAt: now, expiresAt: now.addingTimeInterval(refreshLifetime.seconds), in: work)
        let access = try await accessTokens.issue(userID: user.id, tenantID: user.tenantID, sessionID: familyID, now: now)
        return TokenPair(accessToken: access, refreshToken: refresh, expiresIn: expiresIn)
    }

    private var expiresIn: Int { Int(accessTokens.lifetime.seconds) }

    /// Refresh tokens start with `yzr_`, so a leaked one is recognisable in a secret scanner.
    static let refreshPrefix = "yzr_"

    static let suspended = YizhanError(.tenantSuspended, "The tenant is suspended.")

    static let invalidCredentials = YizhanError(.unauthorized, "The tenant, email or password is wrong.")

    /// `RATE_LIMITED` with `Retry-After` for attempts refused by a lockout.
    static func lockedOut(until: Date, now: Date) -> YizhanError {
        let seconds = max(1, Int(until.timeIntervalSince(now).rounded(.up)))
        return YizhanError(
            .rateLimited, "Too many failed attempts; try again in \(seconds) s.",
            details: ["retry_after_seconds": .int(seconds)], headers: ["Retry-After": String(seconds)])
    }
}
