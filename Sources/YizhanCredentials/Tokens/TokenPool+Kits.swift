import AsyncHTTPClient
import Foundation
import LarkKit
import WeComKit
import YizhanCore

extension TokenPool {
    /// The Lark app's tokens of `kind` (``TokenKind/larkTenant`` by default), for a `LarkClient`.
    ///
    /// `app` is one read for its tenant (``AppService/credentials(id:tenantID:)`` or
    /// ``AppService/app(id:tenantID:)``): a token in memory is handed out without reading the app
    /// again, so the tenant check is the read that produced `app`. Each fetch reads it again (a
    /// disabled, deleted or moved app gets no new token).
    package func larkTokens(for app: ProviderApp, kind: TokenKind = .larkTenant) -> PooledTokenSource<LarkError> {
        let apps = apps
        let http = httpClient
        let (appID, tenantID) = (app.id, app.tenantID)
        return PooledTokenSource(
            pool: self, key: TokenKey(appID: appID, kind: kind), notBefore: app.updatedAt,
            fetch: {
                let (_, configuration) = try await Self.lark(apps: apps, appID: appID, tenantID: tenantID, kind: kind)
                return try await Self.fetchLark(configuration, kind: kind, http: http)
            },
            wrap: Self.larkFailure)
    }

    /// The WeCom app's access tokens, for a `WeComClient`; `app` as for ``larkTokens(for:kind:)``.
    package func wecomTokens(for app: ProviderApp) -> PooledTokenSource<WeComError> {
        let apps = apps
        let http = httpClient
        let (appID, tenantID) = (app.id, app.tenantID)
        return PooledTokenSource(
            pool: self, key: TokenKey(appID: appID, kind: .wecom), notBefore: app.updatedAt,
            fetch: {
                let (_, configuration) = try await Self.wecom(apps: apps, appID: appID, tenantID: tenantID)
                return try await Self.fetchWeCom(configuration, http: http)
            },
            wrap: { WeComError(category: Self.category(of: $0), errcode: 0, errmsg: Self.message(of: $0)) })
    }

    /// A client of the tenant's Lark app whose tenant tokens come from the pool.
    /// - Throws: `NOT_FOUND` (not the tenant's), `APP_DISABLED`, `MASTER_KEY_MISSING`, a 422 for an
    ///   app of another provider or a base URL the egress policy no longer allows.
    package func larkClient(appID: String, tenantID: String) async throws -> LarkClient {
        let (app, configuration) = try await Self.lark(apps: apps, appID: appID, tenantID: tenantID, kind: .larkTenant)
        return LarkClient(configuration: configuration, httpClient: httpClient, tokens: larkTokens(for: app))
    }

    /// A client of the tenant's WeCom app whose access tokens come from the pool; throws as
    /// ``larkClient(appID:tenantID:)`` does.
    package func wecomClient(appID: String, tenantID: String) async throws -> WeComClient {
        let (app, configuration) = try await Self.wecom(apps: apps, appID: appID, tenantID: tenantID)
        return WeComClient(configuration: configuration, httpClient: httpClient, tokens: wecomTokens(for: app))
    }

    // MARK: Fetching

    /// The tenant's Lark app, checked (``AppService/credentials(id:tenantID:)``), and its client configuration.
    static func lark(apps: AppService, appID: String, tenantID: String, kind: TokenKind) async throws -> (ProviderApp, LarkClient.Configuration) {
        let (app, secrets) = try await apps.credentials(id: appID, tenantID: tenantID)
        guard kind.providers.contains(app.provider) else { throw wrongProvider(app, kind) }
        return (app, LarkClient.Configuration(baseURL: app.baseURL, appID: app.identifiers["app_id"] ?? "", appSecret: secrets["app_secret"] ?? ""))
    }

    /// The tenant's WeCom app, checked, and its client configuration.
    static func wecom(apps: AppService, appID: String, tenantID: String) async throws -> (ProviderApp, WeComClient.Configuration) {
        let (app, secrets) = try await apps.credentials(id: appID, tenantID: tenantID)
        guard app.provider == .wecom else { throw wrongProvider(app, .wecom) }
        return (app, WeComClient.Configuration(
            baseURL: app.baseURL, corpID: app.identifiers["corp_id"] ?? "", agentID: Int(app.identifiers["agent_id"] ?? "") ?? 0,
            secret: secrets["secret"] ?? ""))
    }

    static func fetchLark(_ configuration: LarkClient.Configuration, kind: TokenKind, http: HTTPClient) async throws(LarkError) -> FetchedToken {
        let answer =
            switch kind {
            case .larkApp: try await LarkAppTokens(configuration: configuration, httpClient: http).selfBuiltAppToken()
            default: try await LarkClient(configuration: configuration, httpClient: http).fetchTenantToken()
            }
        return FetchedToken(token: answer.token, expiresIn: answer.expiresIn)
    }

    static func fetchWeCom(_ configuration: WeComClient.Configuration, http: HTTPClient) async throws(WeComError) -> FetchedToken {
        let answer = try await WeComClient(configuration: configuration, httpClient: http).fetchToken()
        return FetchedToken(token: answer.token, expiresIn: answer.expiresIn)
    }

    private static func wrongProvider(_ app: ProviderApp, _ kind: TokenKind) -> YizhanError {
        // 422: a well-formed request this app's provider cannot answer.
        YizhanError(.validationError, "App \(app.id) is a \(app.provider.rawValue) app: it has no \(kind.rawValue) tokens.", status: 422)
    }

    /// How long no caller asks the provider again after `consecutive` failed fetches ending in
    /// `error`; nil when the failure was not the provider's to repeat (a disabled app, no master
    /// key: those are Yizhan's own answers, fixed by an operator, and cost the provider nothing).
    ///
    /// - Refused credentials (Lark 10014/10015, WeCom 40001/40013…): a minute, doubling up to a
    ///   quarter of an hour — WeCom bans an IP that keeps sending a wrong secret for an hour.
    /// - Rate limited: as long as the provider says, else a minute.
    /// - Anything else (no answer, a 5xx): a second, doubling up to a minute.
    static func pause(after error: any Error, consecutive: Int) -> Duration? {
        let category: ProviderErrorCategory
        switch error {
        case let error as LarkError: category = error.category
        case let error as WeComError: category = error.category
        case let error as YizhanError where Self.operatorsToFix.contains(error.code): return nil
        default: category = .retryable
        }
        let doubling = Double(1 << min(max(consecutive - 1, 0), 10))
        switch category {
        case .permanent, .authentication: return .seconds(min(60 * doubling, 900))
        case .rateLimited(let retryAfter): return retryAfter ?? .seconds(60)
        case .retryable, .maybeDelivered: return .seconds(min(doubling, 60))
        }
    }

    /// Yizhan's own refusals, which an operator fixes (then the next call goes through at once).
    static let operatorsToFix: Set<YizhanError.Code> = [.appDisabled, .masterKeyMissing, .notFound, .validationError]

    /// The provider's code in a failed fetch's error (Lark `code`, WeCom `errcode`), if the
    /// provider answered with one.
    static func providerCode(of error: any Error) -> Int? {
        switch error {
        case let error as LarkError: error.code == 0 ? nil : error.code
        case let error as WeComError: error.errcode == 0 ? nil : error.errcode
        default: nil
        }
    }

    /// What a kit's caller may do about a failure that is not the provider's.
    static func category(of error: any Error) -> ProviderErrorCategory {
        guard let error = error as? YizhanError else { return .retryable }
        return operatorsToFix.contains(error.code) ? .permanent : .retryable
    }

    /// A message for a failure that is not the provider's; Yizhan's messages carry no secret.
    static func message(of error: any Error) -> String {
        if let error = error as? YizhanError { return "\(error.code): \(error.message)" }
        return "the token pool failed (\(type(of: error)))"
    }
}
