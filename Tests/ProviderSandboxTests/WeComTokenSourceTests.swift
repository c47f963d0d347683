import Foundation
import NIOCore
import ProviderSandbox
import Testing
import WeComKit

/// WeComClient with tokens from outside, as Yizhan's token pool hands them out.
@Suite(.timeLimit(.minutes(1)))
struct WeComTokenSourceTests {
    /// A token source the client does not own: fetches through another client and counts.
    actor PoolTokens: TokenSource {
        let fetcher: WeComClient
        private(set) var fetches = 0
        private(set) var invalidated: [String] = []
        private var cached: String?

        init(fetcher: WeComClient) { self.fetcher = fetcher }

        func token() async throws(WeComError) -> String {
            if let cached { return cached }
            fetches += 1
            let fresh = try await fetcher.fetchToken().token
            cached = fresh
            return fresh
        }

        func invalidate(_ token: String) async {
            invalidated.append(token)
            if cached == token { cached = nil }
        }
    }

    @Test
    func aClientSendsWithAnExternalTokenSourceAndTellsItWhenATokenIsRefused() async throws {
        try await withSandbox(seed: ProviderFaultTests.seed) { _, baseURL in
            let configuration = WeComClient.Configuration(
                baseURL: baseURL, corpID: "wwcorp", agentID: 1000002, secret: "app-secret", timeout: .seconds(10))
            let pool = PoolTokens(fetcher: WeComClient(configuration: configuration))
            let client = WeComClient(configuration: configuration, tokens: pool)
            let sent = try await client.send(.text("through the pool"), to: .init(users: ["zhangsan"]))
            #expect(sent.reachedEveryone)
            #expect(await pool.fetches == 1)
            _ = try await client.send(.text("cached"), to: .init(users: ["zhangsan"]))
            #expect(await pool.fetches == 1)

            try await control(baseURL, "/_sandbox/faults", #"{"provider": "wecom", "app_id": "wwcorp", "kind": "revoke_tokens"}"#)
            _ = try await client.send(.text("after revocation"), to: .init(users: ["zhangsan"]))
            #expect(await pool.invalidated.count == 1)
            #expect(await pool.fetches == 2)
        }
    }
}
