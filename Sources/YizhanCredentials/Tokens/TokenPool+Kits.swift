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
        YizhanError(.validationError, "App \(app.id) is a \(app.provider.rawValue) app: it has no \(kind.rawValue) tokens.")
    }

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
        return [.appDisabled, .masterKeyMissing, .notFound, .validationError].contains(error.code) ? .permanent : .retryable
    }

    /// A message for a failure that is not the provider's; Yizhan's messages carry no secret.
    static func message(of error: any Error) -> String {
        if let error = error as? YizhanError { return "\(error.code): \(error.message)" }
        return "the token pool failed (\(type(of: error)))"
    }
}
