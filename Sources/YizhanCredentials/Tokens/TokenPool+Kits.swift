import AsyncHTTPClient
import Foundation
import LarkKit
import WeComKit
import YizhanCore

extension TokenPool {
    /// The tenant's Lark app's tokens of `kind` (``TokenKind/larkTenant`` by default), for a `LarkClient`.
    package func larkTokens(appID: String, tenantID: String, kind: TokenKind = .larkTenant) -> PooledTokenSource<LarkError> {
        let apps = apps
        let http = httpClient
        return PooledTokenSource(
            pool: self, key: TokenKey(appID: appID, kind: kind),
            fetch: {
                let configuration = try await Self.larkConfiguration(apps: apps, appID: appID, tenantID: tenantID, kind: kind)
                return try await Self.fetchLark(configuration, kind: kind, http: http)
            },
            wrap: { LarkError(category: Self.category(of: $0), code: 0, message: Self.message(of: $0)) })
    }

    /// The tenant's WeCom app's access tokens, for a `WeComClient`.
    package func wecomTokens(appID: String, tenantID: String) -> PooledTokenSource<WeComError> {
        let apps = apps
        let http = httpClient
        return PooledTokenSource(
            pool: self, key: TokenKey(appID: appID, kind: .wecom),
            fetch: {
                let configuration = try await Self.wecomConfiguration(apps: apps, appID: appID, tenantID: tenantID)
                return try await Self.fetchWeCom(configuration, http: http)
            },
            wrap: { WeComError(category: Self.category(of: $0), errcode: 0, errmsg: Self.message(of: $0)) })
    }

    /// A client of the tenant's Lark app whose tenant tokens come from the pool.
    package func larkClient(appID: String, tenantID: String) async throws -> LarkClient {
        let configuration = try await Self.larkConfiguration(apps: apps, appID: appID, tenantID: tenantID, kind: .larkTenant)
        return LarkClient(configuration: configuration, httpClient: httpClient, tokens: larkTokens(appID: appID, tenantID: tenantID))
    }

    /// A client of the tenant's WeCom app whose access tokens come from the pool.
    package func wecomClient(appID: String, tenantID: String) async throws -> WeComClient {
        let configuration = try await Self.wecomConfiguration(apps: apps, appID: appID, tenantID: tenantID)
        return WeComClient(configuration: configuration, httpClient: httpClient, tokens: wecomTokens(appID: appID, tenantID: tenantID))
    }

    // MARK: Fetching

    static func larkConfiguration(apps: AppService, appID: String, tenantID: String, kind: TokenKind) async throws -> LarkClient.Configuration {
        let (app, secrets) = try await apps.credentials(id: appID, tenantID: tenantID)
        guard kind.providers.contains(app.provider) else { throw wrongProvider(app, kind) }
        return LarkClient.Configuration(baseURL: app.baseURL, appID: app.identifiers["app_id"] ?? "", appSecret: secrets["app_secret"] ?? "")
    }

    static func wecomConfiguration(apps: AppService, appID: String, tenantID: String) async throws -> WeComClient.Configuration {
        let (app, secrets) = try await apps.credentials(id: appID, tenantID: tenantID)
        guard app.provider == .wecom else { throw wrongProvider(app, .wecom) }
        return WeComClient.Configuration(
            baseURL: app.baseURL, corpID: app.identifiers["corp_id"] ?? "", agentID: Int(app.identifiers["agent_id"] ?? "") ?? 0,
            secret: secrets["secret"] ?? "")
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
