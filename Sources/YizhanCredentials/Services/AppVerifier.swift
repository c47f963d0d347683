import AsyncHTTPClient
import Foundation
import LarkKit
import NIOCore
import ProviderKitSupport
import WeComKit
import YizhanCore

/// Checks an app's credentials with its provider: Lark and WeCom apps fetch a token now (not kept:
/// the pool's stored token is left alone), a marketplace app asks for an app_ticket resend, robots
/// are checked offline. A refusal is an answer (`ok: false` with the provider's code), not an error.
package struct AppVerifier: Sendable {
    let apps: AppService
    let clock: any TimeSource
    let httpClient: HTTPClient
    /// Whose failure pauses a check shares: a wrong secret checked in a loop must not reach the
    /// provider more often than the pool would send it (WeCom bans the address for an hour).
    let tokens: TokenPool
    /// How long a check waits for its provider: an operator is waiting on the answer, and a host
    /// that never answers should say so well before a proxy or client gives up on the request.
    static let deadline: TimeAmount = .seconds(5)

    /// - Throws: `NOT_FOUND`, `APP_DISABLED`, `MASTER_KEY_MISSING` (the app cannot be checked at all).
    package func verify(id: String, tenantID: String) async throws -> AppVerification {
        let (app, secrets) = try await apps.credentials(id: id, tenantID: tenantID)
        let started = clock.uptime()
        var elapsed: Int {
            let duration = clock.uptime() - started
            return Int(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)
        }
        let lark = LarkClient.Configuration(
            baseURL: app.baseURL, appID: app.identifiers["app_id"] ?? "", appSecret: secrets["app_secret"] ?? "", timeout: Self.deadline)
        do {
            switch app.provider {
            case .lark:
                let token = try await sharingPauses(TokenKey(appID: app.id, kind: .larkTenant)) {
                    try await TokenPool.fetchLark(lark, kind: .larkTenant, http: httpClient)
                }
                return AppVerification(ok: true, providerCode: 0, message: "ok", tokenExpiresIn: token.expiresIn, latencyMilliseconds: elapsed)
            case .larkMarketplace:
                // Through the pool's throttle: at most one resend a minute per app from this process.
                try await tokens.ticketResends.request(appID: app.id, api: LarkAppTokens(configuration: lark, httpClient: httpClient), clock: clock)
                return AppVerification(
                    ok: true, providerCode: 0, message: "ok: an app_ticket resend was requested (at most one a minute)", tokenExpiresIn: nil,
                    latencyMilliseconds: elapsed)
            case .wecom:
                let configuration = WeComClient.Configuration(
                    baseURL: app.baseURL, corpID: app.identifiers["corp_id"] ?? "", agentID: Int(app.identifiers["agent_id"] ?? "") ?? 0,
                    secret: secrets["secret"] ?? "", timeout: Self.deadline)
                let token = try await sharingPauses(TokenKey(appID: app.id, kind: .wecom)) {
                    try await TokenPool.fetchWeCom(configuration, http: httpClient)
                }
                // gettoken checks the secret only: the agent's details fail as a send would for an
                // untrusted IP (60020), another app's secret (301002) or a wrong agent id (40056).
                let client = WeComClient(
                    configuration: configuration, httpClient: httpClient, tokens: FixedTokenSource<WeComError>(value: token.token))
                let agent = try await client.agent()
                let message = agent.isClosed ? "ok, but the app \(agent.agentID) is disabled in the WeCom admin console" : "ok"
                return AppVerification(
                    ok: !agent.isClosed, providerCode: 0, message: message, tokenExpiresIn: token.expiresIn, latencyMilliseconds: elapsed)
            case .larkBot, .wecomRobot, .dingtalkRobot:
                return Self.offline(app.provider, secrets: secrets, latency: elapsed)
            }
        } catch let error as LarkError {
            return AppVerification(ok: false, providerCode: error.code, message: error.message, tokenExpiresIn: nil, latencyMilliseconds: elapsed)
        } catch let error as WeComError {
            return AppVerification(ok: false, providerCode: error.errcode, message: error.errmsg, tokenExpiresIn: nil, latencyMilliseconds: elapsed)
        }
    }

    /// Runs a token fetch for `key` unless the pool pauses fetches for it (then the kept failure is
    /// thrown without asking the provider); a failure counts toward the pool's pause, a success
    /// ends the app's pauses.
    private func sharingPauses(_ key: TokenKey, _ fetch: () async throws -> FetchedToken) async throws -> FetchedToken {
        if let failure = tokens.pausedFailure(key) { throw failure }
        do {
            let token = try await fetch()
            tokens.endPauses(appID: key.appID)
            return token
        } catch {
            tokens.noteFailedFetch(key, error)
            throw error
        }
    }

    /// A robot or bot: its stored signing material follows its provider's rules (nothing is sent:
    /// a test message would reach a real group).
    static func offline(_ provider: AppProvider, secrets: AppSecrets, latency: Int) -> AppVerification {
        for field in provider.fields where field.isSecret {
            guard let value = secrets[field.name] else {
                if field.isRequired {
                    return AppVerification(
                        ok: false, providerCode: 0, message: "\(field.name) is missing", tokenExpiresIn: nil, latencyMilliseconds: latency)
                }
                continue
            }
            if !field.rule.accepts(value) {
                return AppVerification(
                    ok: false, providerCode: 0, message: "\(field.name) \(field.rule.explanation)", tokenExpiresIn: nil,
                    latencyMilliseconds: latency)
            }
        }
        return AppVerification(
            ok: true, providerCode: 0, message: "ok: the signing material is well-formed (robots are checked offline)", tokenExpiresIn: nil,
            latencyMilliseconds: latency)
    }
}
