import Foundation
import LarkKit
import ProviderSandbox
import Testing
import WeComKit

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `GET /_sandbox/stats`: what each app did, counted for tests of token reuse.
@Suite(.timeLimit(.minutes(1)))
struct SandboxStatsTests {
    @Test
    func larkCountsTokenFetchesCallsAndErrorsOfRevokedTokensPerApp() async throws {
        try await withLarkSandbox { _, baseURL in
            let client = larkClient(baseURL)
            _ = try await client.sendMessage(to: .openID("ou_alice"), content: .text("one"))
            try await control(baseURL, "/_sandbox/faults", #"{"provider": "lark", "app_id": "cli_test", "kind": "revoke_tokens"}"#)
            _ = try await client.sendMessage(to: .openID("ou_alice"), content: .text("two"))
            _ = await #expect(throws: LarkError.self) { try await larkClient(baseURL, secret: "wrong").fetchTenantToken() }
            let stats = try await sandboxStats(baseURL, provider: "lark", appID: "cli_test")
            #expect(stats["token_fetches"] as? Int == 3)
            #expect(stats["calls"] as? [String: Int] == [
                "/open-apis/im/v1/messages": 3, "/open-apis/auth/v3/tenant_access_token/internal": 3,
            ])
            #expect(stats["errors"] as? [String: Int] == ["99991663": 1, "10014": 1])
            #expect(stats["rate_limited"] as? Int == 0)
            try await control(baseURL, "/_sandbox/reset", "{}")
            let cleared = try await sandboxStats(baseURL, provider: "lark", appID: "cli_test")
            #expect(cleared["token_fetches"] as? Int == 0 && (cleared["calls"] as? [String: Int])?.isEmpty == true)
        }
    }

    @Test
    func wecomCountsPerCorpAndRateLimitsAreCounted() async throws {
        let seed = #"{"wecom": {"apps": [{"corp_id": "wwcorp", "agent_id": 1000002, "secret": "s3cret"}], "users": [{"corp_id": "wwcorp", "userid": "zhangsan", "name": "张三"}]}}"#
        try await withSandbox(seed: seed) { _, baseURL in
            let client = WeComClient(configuration: .init(baseURL: baseURL, corpID: "wwcorp", agentID: 1000002, secret: "s3cret"))
            _ = try await client.send(.text("one"), to: .init(users: ["zhangsan"]))
            try await control(baseURL, "/_sandbox/faults", #"{"provider": "wecom", "app_id": "wwcorp", "kind": "force_error", "code": 45033, "http_status": 200}"#)
            _ = await #expect(throws: WeComError.self) { try await client.send(.text("two"), to: .init(users: ["zhangsan"])) }
            let stats = try await sandboxStats(baseURL, provider: "wecom", appID: "wwcorp")
            #expect(stats["token_fetches"] as? Int == 1)
            #expect(stats["calls"] as? [String: Int] == ["/cgi-bin/gettoken": 1, "/cgi-bin/message/send": 2])
            #expect(stats["errors"] as? [String: Int] == ["45033": 1])
            #expect(stats["rate_limited"] as? Int == 1)
        }
    }
}

/// The sandbox's counts for one app.
func sandboxStats(_ baseURL: String, provider: String, appID: String) async throws -> [String: Any] {
    let (data, _) = try await URLSession.shared.data(from: URL(string: baseURL + "/_sandbox/stats?provider=\(provider)&app_id=\(appID)")!)
    return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
}
