import AsyncHTTPClient
import Foundation
import LarkKit
import YizhanCore
import YizhanStorage

extension TokenPool {
    /// The tenant tokens of one customer tenant (its `tenant_key`) of the marketplace app, for a
    /// `LarkClient`: bought with the pooled app token (``larkMarketplaceAppTokens(for:)``); one
    /// fetch per (app, `tenant_key`) and expiry across every process, like the self-built ones.
    /// `app` as for ``larkTokens(for:kind:)``.
    package func larkMarketplaceTokens(for app: ProviderApp, tenantKey: String) -> PooledTokenSource<LarkError> {
        let apps = apps
        let http = httpClient
        let (appID, tenantID) = (app.id, app.tenantID)
        let appTokens = larkMarketplaceAppTokens(for: app)
        return PooledTokenSource(
            pool: self, key: TokenKey(appID: appID, kind: .larkMarketplaceTenant, subject: tenantKey), notBefore: app.updatedAt,
            fetch: {
                let (_, configuration) = try await Self.lark(apps: apps, appID: appID, tenantID: tenantID, kind: .larkMarketplaceTenant)
                return try await Self.fetchMarketplaceTenant(
                    LarkAppTokens(configuration: configuration, httpClient: http), tenantKey: tenantKey, appTokens: appTokens)
            },
            wrap: Self.larkFailure)
    }

    /// The marketplace app's own `app_access_token`, bought with the newest stored app_ticket.
    /// Without a ticket, or when Lark calls it invalid (10012, after which it is dropped if it is
    /// still the newest), Lark is asked to push a new one (at most once a minute from this process)
    /// and the fetch fails retryable until it arrives.
    package func larkMarketplaceAppTokens(for app: ProviderApp) -> PooledTokenSource<LarkError> {
        let apps = apps
        let (appID, tenantID) = (app.id, app.tenantID)
        return PooledTokenSource(
            pool: self, key: TokenKey(appID: appID, kind: .larkMarketplaceApp), notBefore: app.updatedAt,
            fetch: { [self] in
                let (_, configuration) = try await Self.lark(apps: apps, appID: appID, tenantID: tenantID, kind: .larkMarketplaceApp)
                return try await fetchMarketplaceApp(appID: appID, api: LarkAppTokens(configuration: configuration, httpClient: httpClient))
            },
            wrap: Self.larkFailure)
    }

    /// A client of one customer tenant of the tenant's marketplace app, whose tenant tokens come from the pool.
    package func larkClient(appID: String, tenantID: String, tenantKey: String) async throws -> LarkClient {
        let (app, configuration) = try await Self.lark(apps: apps, appID: appID, tenantID: tenantID, kind: .larkMarketplaceTenant)
        return LarkClient(configuration: configuration, httpClient: httpClient, tokens: larkMarketplaceTokens(for: app, tenantKey: tenantKey))
    }

    // MARK: Fetching

    /// Codes of a tenant token request whose app token went stale (revoked, expired early): the
    /// app token is replaced and the request made once more.
    static let staleAppTokenCodes: Set<Int> = [99991664, LarkAppTokens.appTicketInvalid]

    private func fetchMarketplaceApp(appID: String, api: LarkAppTokens) async throws -> FetchedToken {
        guard let (ticket, version) = try await appTicket(appID: appID) else {
            try await ticketResends.request(appID: appID, api: api, clock: clock)
            throw LarkError(category: .retryable, code: LarkAppTokens.appTicketInvalid, message: "no app_ticket yet: a resend was requested")
        }
        do {
            let answer = try await api.marketplaceAppToken(appTicket: ticket)
            return FetchedToken(token: answer.token, expiresIn: answer.expiresIn)
        } catch where error.code == LarkAppTokens.appTicketInvalid {
            try await dropAppTicket(appID: appID, version: version)
            try await ticketResends.request(appID: appID, api: api, clock: clock)
            throw LarkError(category: .retryable, code: error.code, message: "Lark refused the app_ticket: a resend was requested")
        }
    }

    private static func fetchMarketplaceTenant(
        _ api: LarkAppTokens, tenantKey: String, appTokens: PooledTokenSource<LarkError>
    ) async throws(LarkError) -> FetchedToken {
        let appToken = try await appTokens.token()
        let answer: (token: String, expiresIn: Int)
        do throws(LarkError) {
            answer = try await api.marketplaceTenantToken(appAccessToken: appToken, tenantKey: tenantKey)
        } catch where staleAppTokenCodes.contains(error.code) {
            await appTokens.invalidate(appToken)
            answer = try await api.marketplaceTenantToken(appAccessToken: try await appTokens.token(), tenantKey: tenantKey)
        }
        return FetchedToken(token: answer.token, expiresIn: answer.expiresIn)
    }

    /// A failure that is not Lark's, as the kit's error.
    static func larkFailure(_ error: any Error) -> LarkError {
        LarkError(category: category(of: error), code: 0, message: message(of: error))
    }

    // MARK: The app_ticket

    /// The newest app_ticket kept for a marketplace app and the version it is stored at; nil when
    /// none is kept.
    func appTicket(appID: String) async throws -> (ticket: String, version: Int64)? {
        let key = TokenKey(appID: appID, kind: .larkAppTicket)
        guard let row = try await database.withConnection({ work in try await TokenStore().row(key, in: work) }), !row.sealedToken.isEmpty
        else { return nil }
        return (try open(row.sealedToken, key), row.version)
    }

    /// Keeps `ticket`, sealed, as the app's newest app_ticket, in the caller's transaction.
    func keepAppTicket(_ ticket: String, appID: String, in work: UnitOfWork) async throws {
        let key = TokenKey(appID: appID, kind: .larkAppTicket)
        let now = clock.now()
        // A ticket is never fresh to the pool: it is not a token the pool fetches.
        _ = try await TokenStore().put(key, sealedToken: try seal(ticket, key), obtainedAt: now, refreshAt: now, expiresAt: now, in: work)
    }

    /// Drops the app's ticket if it is still the one stored at `version` (Lark refused it).
    private func dropAppTicket(appID: String, version: Int64) async throws {
        _ = try await database.transaction { work in
            try await TokenStore().clear(TokenKey(appID: appID, kind: .larkAppTicket), version: version, in: work)
        }
    }
}
