import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ProviderSandbox
import Testing
import YizhanCore
import YizhanCredentials
import YizhanIdentity
import YizhanServer
import YizhanStorage
import YizhanTesting

/// `/metrics` counts the token pool's hits, waits, fetches and failures per provider and kind,
/// against the sandbox over HTTP; a failed fetch is logged with the provider's code and never with
/// the secret or a token.
@Suite(.timeLimit(.minutes(3)))
struct TokenMetricsTests {
    static let seed = #"""
        {"lark": {"apps": [{"app_id": "cli_metrics", "app_secret": "LarkMetricsSecret1", "rate_limits": false},
                           {"app_id": "cli_wrong", "app_secret": "LarkRightSecret1", "rate_limits": false}]},
         "wecom": {"apps": [{"corp_id": "wwmetrics", "agent_id": 1000002, "secret": "WeComMetricsSecret1"},
                            {"corp_id": "wwwrong", "agent_id": 1000003, "secret": "WeComRightSecret1"}]}}
        """#

    @Test(arguments: TestEngines.all)
    func metricsCountEachOutcomeAndAFailedFetchIsLoggedWithTheProvidersCodeOnly(engine: DatabaseEngine) async throws {
        let sandbox = ProviderSandbox()
        try await sandbox.seed(Data(Self.seed.utf8))
        try await sandbox.application(port: 0, logger: quietLogger).test(.live) { client in
            let baseURL = "http://127.0.0.1:\(client.port!)"
            let captured = LoggingTests.Captured()
            let logger = LoggerFactory(format: .json, level: .info, sink: captured.sink()).makeLogger(label: "yizhan")
            try await withServerDependencies(engine, logger: logger) { dependencies, tenant in
                let apps = dependencies.credentials.apps
                func register(_ provider: AppProvider, _ credentials: [String: String]) async throws -> ProviderApp {
                    try await apps.create(.init(name: "App", provider: provider, baseURL: baseURL, credentials: credentials), tenantID: tenant)
                }
                let lark = try await register(.lark, ["app_id": "cli_metrics", "app_secret": "LarkMetricsSecret1"])
                let wrongLark = try await register(.lark, ["app_id": "cli_wrong", "app_secret": "LarkWrongSecret1"])
                let wecom = try await register(.wecom, ["corp_id": "wwmetrics", "agent_id": "1000002", "secret": "WeComMetricsSecret1"])
                let wrongWeCom = try await register(.wecom, ["corp_id": "wwwrong", "agent_id": "1000003", "secret": "WeComWrongSecret1"])
                let pool = dependencies.credentials.tokens

                // One after another, so each outcome is known: the first call waits for the fetch,
                // the rest are hits; a wrong secret is a wait and a failed fetch.
                var tokens: Set<String> = []
                for _ in 0..<5 { tokens.insert(try await pool.larkTokens(for: lark).token()) }
                for _ in 0..<2 { tokens.insert(try await pool.wecomTokens(for: wecom).token()) }
                #expect(tokens.count == 2)
                await #expect(throws: (any Error).self) { try await pool.larkTokens(for: wrongLark).token() }
                await #expect(throws: (any Error).self) { try await pool.wecomTokens(for: wrongWeCom).token() }

                let text = try await Self.scrape(dependencies)
                let lines = Set(text.split(separator: "\n").map(String.init))
                for expected in [
                    #"yizhan_token_hits_total{provider="lark",kind="lark_tenant"} 4"#,
                    #"yizhan_token_waits_total{provider="lark",kind="lark_tenant"} 2"#,
                    #"yizhan_token_fetches_total{provider="lark",kind="lark_tenant"} 1"#,
                    #"yizhan_token_fetch_failures_total{provider="lark",kind="lark_tenant"} 1"#,
                    #"yizhan_token_hits_total{provider="wecom",kind="wecom"} 1"#,
                    #"yizhan_token_waits_total{provider="wecom",kind="wecom"} 2"#,
                    #"yizhan_token_fetches_total{provider="wecom",kind="wecom"} 1"#,
                    #"yizhan_token_fetch_failures_total{provider="wecom",kind="wecom"} 1"#,
                    #"yizhan_token_fetches_total{provider="lark",kind="lark_app"} 0"#,
                ] {
                    #expect(lines.contains(expected), "no line \(expected) in:\n\(text)")
                }

                let failures = captured.text.split(separator: "\n").filter { $0.contains("token fetch failed") }
                #expect(failures.count == 2, "\(failures)")
                #expect(failures.contains { $0.contains(#""provider_code":"10014""#) && $0.contains(wrongLark.id) }, "\(failures)")
                #expect(failures.contains { $0.contains(#""provider_code":"40001""#) && $0.contains(wrongWeCom.id) }, "\(failures)")
                let secrets = ["LarkMetricsSecret1", "LarkWrongSecret1", "WeComMetricsSecret1", "WeComWrongSecret1"]
                for secret in secrets + tokens {
                    #expect(!captured.text.contains(secret), "a secret or token reached the log")
                }
            }
        }
    }

    /// `GET /metrics` of the application built from `dependencies`.
    static func scrape(_ dependencies: ServerDependencies) async throws -> String {
        try await App.buildApplication(dependencies).test(.router) { client in
            try await client.execute(uri: "/metrics", method: .get) { response in String(buffer: response.body) }
        }
    }
}
