import Foundation
import LarkKit
import YizhanCore
import YizhanStorage

extension TokenPool {
    /// A Lark user's access tokens through the tenant's Lark app (self-built or marketplace), for
    /// calls made as that user: the token stored when they authorized, until it is stale; then one
    /// renewal with the stored refresh token, under the pool's lease, for every caller of every
    /// process.
    ///
    /// Lark's refresh tokens are single use: the renewal stores the new refresh token before the new
    /// access token, compare-and-set on the one it used, so an older pair never overwrites a newer
    /// one. A refresh token Lark refuses (used, expired, revoked) is dropped, and the error is
    /// permanent: the user must authorize again.
    ///
    /// `app` as for ``larkTokens(for:kind:)``.
    package func larkUserTokens(for app: ProviderApp, openID: String) -> PooledTokenSource<LarkError> {
        let apps = apps
        let (appID, tenantID) = (app.id, app.tenantID)
        return PooledTokenSource(
            pool: self, key: TokenKey(appID: appID, kind: .larkUser, subject: openID), notBefore: app.updatedAt,
            fetch: { [self] in
                let (_, configuration) = try await Self.lark(apps: apps, appID: appID, tenantID: tenantID, kind: .larkUser)
                return try await renewLarkUser(openID: openID, appID: appID, oauth: Self.larkOAuth(configuration, pool: self))
            },
            wrap: Self.larkFailure)
    }

    /// The OAuth endpoints of the app's Lark deployment (its base URL).
    static func larkOAuth(_ configuration: LarkClient.Configuration, pool: TokenPool) -> LarkOAuth {
        var oauth = LarkOAuth.Configuration.sandbox(baseURL: configuration.baseURL, appID: configuration.appID, appSecret: configuration.appSecret)
        oauth.timeout = configuration.timeout
        return LarkOAuth(configuration: oauth, httpClient: pool.httpClient)
    }

    /// What Lark answers a refresh token it will not renew: OAuth's `invalid_grant` (RFC 6749
    /// §5.2) and the codes seen for it. UNCERTAIN: Lark's table lists more codes than the
    /// sandbox answers (20007 used, 99991669 unknown); the `invalid_grant` error covers the rest.
    static let refusedRefreshCodes: Set<Int> = [20003, 20004, 20007, 20026, 20037, 20064, 20073, 99991669]

    static func refusesGrant(_ error: LarkError) -> Bool {
        error.category == .permanent && (refusedRefreshCodes.contains(error.code) || error.message.hasPrefix("invalid_grant"))
    }

    /// Renews the user's access token with the stored refresh token; runs under the pool's lease.
    private func renewLarkUser(openID: String, appID: String, oauth: LarkOAuth) async throws -> FetchedToken {
        let key = TokenKey(appID: appID, kind: .larkUserRefresh, subject: openID)
        let store = TokenStore()
        guard let row = try await database.withConnection({ work in try await store.row(key, in: work) }), !row.sealedToken.isEmpty else {
            throw Self.authorizeAgain("no refresh token is kept for them", code: 0)
        }
        guard clock.now() < row.expiresAt else {
            _ = try await database.transaction { work in try await store.clear(key, version: row.version, in: work) }
            throw Self.authorizeAgain("their refresh token expired", code: 0)
        }
        let renewed: LarkUserToken
        switch await Self.refresh(try open(row.sealedToken, key), with: oauth) {
        case .success(let token):
            renewed = token
        case .failure(let error):
            guard Self.refusesGrant(error) else { throw error }
            let dropped = try await database.transaction { work in try await store.clear(key, version: row.version, in: work) }
            // A refusal of a refresh token that was replaced meanwhile (the user authorized again) is no news.
            guard dropped else { throw LarkError(category: .retryable, code: error.code, message: "the user's authorization changed meanwhile") }
            throw Self.authorizeAgain("Lark refused their refresh token (\(error.message))", code: error.code)
        }
        // The old refresh token is spent: keep the new one before anything else can fail.
        let now = clock.now()
        let sealed = try renewed.refreshToken.map { refreshToken in try seal(refreshToken, key) } ?? ""
        let refreshExpiresAt = now.addingTimeInterval(TimeInterval(renewed.refreshTokenExpiresIn ?? Self.unstatedRefreshLifetime))
        _ = try await database.transaction { work in
            try await store.write(
                key, sealedToken: sealed, obtainedAt: now, refreshAt: refreshExpiresAt, expiresAt: refreshExpiresAt, expectedVersion: row.version,
                in: work)
        }
        return FetchedToken(token: renewed.accessToken, expiresIn: renewed.expiresIn)
    }

    private static func refresh(_ refreshToken: String, with oauth: LarkOAuth) async -> Result<LarkUserToken, LarkError> {
        do throws(LarkError) {
            return .success(try await oauth.refresh(refreshToken))
        } catch {
            return .failure(error)
        }
    }

    /// A refresh token's life when Lark does not state it. UNCERTAIN: Lark documents
    /// `refresh_token_expires_in` in every answer with `offline_access`; a refusal ends it earlier.
    static let unstatedRefreshLifetime = 30 * 24 * 3600

    /// The permanent error of a user token that cannot be renewed. It names no user (it is logged
    /// and kept as the pause's error); the caller knows whose token it asked for.
    static func authorizeAgain(_ why: String, code: Int) -> LarkError {
        LarkError(category: .permanent, code: code, message: "the user must authorize the app again: \(why)")
    }
}
