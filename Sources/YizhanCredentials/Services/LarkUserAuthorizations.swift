import Foundation
import NIOCore
import LarkKit
import YizhanCore
import YizhanIdentity
import YizhanStorage

/// Lark users' authorizations of the tenant's Lark apps: an OAuth authorization code is exchanged
/// for the user's access and refresh tokens, which are kept sealed for the pool
/// (``TokenPool/larkUserTokens(for:openID:)``). No answer, log line, error or audit
/// entry carries a token.
package struct LarkUserAuthorizations: Sendable {
    private let database: any Database
    private let audit: AuditLog
    private let apps: AppService
    private let pool: TokenPool

    init(database: any Database, audit: AuditLog, apps: AppService, pool: TokenPool) {
        self.database = database
        self.audit = audit
        self.apps = apps
        self.pool = pool
    }

    /// Exchanges the `code` Lark's authorize page gave the user (valid 5 minutes, once), asks
    /// Lark who the user is, and keeps their tokens, replacing any pair kept for them (newest wins).
    /// - Parameters:
    ///   - redirectURI: The one the authorize URL carried, if it carried one.
    ///   - codeVerifier: The PKCE verifier, when the authorize URL carried a challenge.
    /// - Throws: `VALIDATION_ERROR` for malformed input, an app that is not a Lark app, or a code
    ///   Lark refused (with `provider_code`); `NOT_FOUND`; `APP_DISABLED`; `SERVICE_UNAVAILABLE` when
    ///   Lark could not be asked (the code may be spent: start a new authorization);
    ///   `MASTER_KEY_MISSING`.
    package func exchange(
        code: String, redirectURI: String?, codeVerifier: String?, appID: String, tenantID: String
    ) async throws -> LarkUserAuthorization {
        try Self.check(code: code, redirectURI: redirectURI, codeVerifier: codeVerifier)
        var (_, configuration) = try await TokenPool.lark(apps: apps, appID: appID, tenantID: tenantID, kind: .larkUser)
        // Two calls answer the request (the exchange, then who the user is): 5 s at most for
        // both, as verify and contact lookups wait, so an unreachable host does not hold it.
        configuration.timeout = .milliseconds(2500)
        let oauth = TokenPool.larkOAuth(configuration, pool: pool)
        let token: LarkUserToken
        let openID: String
        do throws(LarkError) {
            token = try await oauth.exchange(code: code, redirectURI: redirectURI, codeVerifier: codeVerifier)
            openID = try await oauth.userInfo(accessToken: token.accessToken).openID ?? ""
        } catch {
            throw Self.refusal(error)
        }
        guard !openID.isEmpty else { throw YizhanError(.serviceUnavailable, "Lark did not say who the user is.") }

        let now = pool.clock.now()
        let access = TokenKey(appID: appID, kind: .larkUser, subject: openID)
        let refresh = TokenKey(appID: appID, kind: .larkUserRefresh, subject: openID)
        let lifetime = TimeInterval(max(0, token.expiresIn))
        let refreshLifetime = token.refreshToken.map { _ in token.refreshTokenExpiresIn ?? TokenPool.unstatedRefreshLifetime }
        let refreshExpiresAt = now.addingTimeInterval(TimeInterval(refreshLifetime ?? 0))
        let sealedAccess = try pool.seal(token.accessToken, access)
        // Without offline_access there is no refresh token: an empty one replaces any older one.
        let sealedRefresh = try token.refreshToken.map { refreshToken throws in try pool.seal(refreshToken, refresh) } ?? ""
        let store = TokenStore()
        try await database.transaction { work in
            _ = try await store.put(
                access, sealedToken: sealedAccess, obtainedAt: now,
                refreshAt: now.addingTimeInterval(lifetime * pool.configuration.refreshFraction), expiresAt: now.addingTimeInterval(lifetime),
                in: work)
            _ = try await store.put(refresh, sealedToken: sealedRefresh, obtainedAt: now, refreshAt: refreshExpiresAt, expiresAt: refreshExpiresAt, in: work)
            try await audit.record(
                "app.user_token.store", tenantID: tenantID, target: .init("app", appID),
                details: ["open_id": openID, "refresh_token": token.refreshToken == nil ? "none" : "kept"], in: work)
        }
        pool.endPauses(appID: appID)
        return LarkUserAuthorization(openID: openID, expiresIn: token.expiresIn, refreshExpiresIn: refreshLifetime)
    }

    /// A code, redirect URI and PKCE verifier as Lark takes them.
    static func check(code: String, redirectURI: String?, codeVerifier: String?) throws(YizhanError) {
        guard (1...512).contains(code.utf8.count), code.unicodeScalars.allSatisfy({ (0x21...0x7E).contains($0.value) }) else {
            throw InputRules.invalid("code", "must be 1 to 512 visible ASCII characters")
        }
        if let redirectURI {
            // The document's pattern: a scheme, a colon, visible ASCII (Lark compares it as a string).
            guard (3...2000).contains(redirectURI.utf8.count), CredentialRule.matches(redirectURI, "[A-Za-z][A-Za-z0-9+.-]*:[!-~]+") else {
                throw InputRules.invalid("redirect_uri", "must be the absolute URL the authorize page redirected to")
            }
        }
        if let codeVerifier {
            // RFC 7636 §4.1: 43 to 128 unreserved characters.
            guard (43...128).contains(codeVerifier.utf8.count), CredentialRule.matches(codeVerifier, "[A-Za-z0-9._~-]+") else {
                throw InputRules.invalid("code_verifier", "must be 43 to 128 of A-Z a-z 0-9 - . _ ~")
            }
        }
    }

    /// Lark's refusal as the caller's error: a refused grant is their input; anything else is
    /// Lark being out of reach.
    static func refusal(_ error: LarkError) -> YizhanError {
        if error.category == .permanent, error.code != 0 {
            return YizhanError(
                .validationError, "Lark refused the authorization code (\(error.code)): \(error.message)",
                details: ["field": .string("code"), "provider_code": .int(error.code)])
        }
        return YizhanError(
            .serviceUnavailable,
            "Lark could not be asked now (\(error.message)); the code may be spent: start a new authorization.",
            details: ["provider_code": .int(error.code)])
    }
}
