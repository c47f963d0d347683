import Foundation
import LarkKit
import NIOCore
import ProviderSandbox
import Testing

/// The sandbox's Lark limits per API, app tokens, and custom bot keywords.
@Suite(.timeLimit(.minutes(1)))
struct LarkSandboxLimitsTests {
    @Test
    func eachAPIHasItsOwnBucketPerApp() async throws {
        try await withLarkSandbox { _, baseURL in
            try await control(baseURL, "/_sandbox/clock/freeze", "{}")
            let lark = larkClient(baseURL)
            for _ in 0..<50 { _ = try await lark.userIDs(emails: ["alice@corp.example"]) }
            let lookups = await #expect(throws: LarkError.self) { try await lark.userIDs(emails: ["alice@corp.example"]) }
            #expect(lookups?.code == 99991400)
            #expect(lookups?.httpStatus == 429)
            // Lookups are spent; sends, uploads and user reads are not.
            _ = try await lark.sendMessage(to: .openID("ou_alice"), content: .text("still sending"))
            _ = try await lark.uploadImage(Data(repeating: 1, count: 16))
            _ = try await lark.user(id: "ou_alice")
        }
    }

    @Test
    func theSelfBuiltAppTokenIsItsOwnAndTenantAPIsRefuseIt() async throws {
        try await withLarkSandbox { _, baseURL in
            let configuration = LarkClient.Configuration(baseURL: baseURL, appID: "cli_test", appSecret: "s3cret")
            let appToken = try await LarkAppTokens(configuration: configuration).selfBuiltAppToken()
            let tenantToken = try await larkClient(baseURL).fetchTenantToken()
            #expect(appToken.token.hasPrefix("a-"))
            #expect(appToken.token != tenantToken.token)
            #expect(try await LarkAppTokens(configuration: configuration).selfBuiltAppToken().token == appToken.token)
            let refused = await #expect(throws: LarkError.self) {
                try await larkClient(baseURL, tokens: FixedToken(value: appToken.token)).sendMessage(to: .openID("ou_alice"), content: .text("x"))
            }
            #expect(refused?.code == 99991663)
            #expect(refused?.category == .authentication)
        }
    }

    @Test
    func aBotWithKeywordsRefusesAMessageWithoutOne() async throws {
        let seed = #"{"lark": {"bots": [{"hook_token": "hook-kw", "keywords": ["deploy", "告警"]}]}}"#
        try await withSandbox(seed: seed) { _, baseURL in
            let bot = LarkCustomBot(baseURL: baseURL, hookToken: "hook-kw")
            try await bot.send(.text("deploy 42 finished"))
            try await bot.send(.card(json: #"{"header":{"title":{"tag":"plain_text","content":"磁盘告警"}},"elements":[]}"#))
            let refused = await #expect(throws: LarkError.self) { try await bot.send(.text("lunch?")) }
            #expect(refused?.code == 19024)
            #expect(refused?.category == .permanent)
            let outcomes = try await sandboxMessages(baseURL).compactMap { $0["outcome"] as? String }
            #expect(outcomes == ["accepted", "accepted", "rejected"])
        }
    }
}
