import Foundation
import LarkKit
import ProviderSandbox
import Testing

/// LarkCustomBot (the custom group bot webhook) against the sandbox.
@Suite(.timeLimit(.minutes(1)))
struct LarkCustomBotTests {
    static let seed = #"{"lark": {"bots": [{"hook_token": "hook-signed", "secret": "test-secret"}, {"hook_token": "hook-plain"}]}}"#

    @Test
    func signedAndPlainBotsTakeEveryMessageType() async throws {
        try await withSandbox(seed: Self.seed) { _, baseURL in
            let signed = LarkCustomBot(baseURL: baseURL, hookToken: "hook-signed", secret: "test-secret")
            try await signed.send(.text("构建失败 <at user_id=\"all\">所有人</at>"))
            try await signed.send(.post(json: #"{"zh_cn":{"title":"日报","content":[[{"tag":"text","text":"ok"}]]}}"#))
            try await signed.send(.card(json: #"{"elements":[{"tag":"markdown","content":"**ok**"}]}"#))
            let plain = LarkCustomBot(baseURL: baseURL, hookToken: "hook-plain")
            try await plain.send(.shareChat(chatID: "oc_ops"))
            try await plain.send(.image(imageKey: "img_v3_x"))
            let records = try await sandboxMessages(baseURL)
            #expect(records.compactMap { $0["outcome"] as? String } == Array(repeating: "accepted", count: 5))
            #expect(records.compactMap { $0["message_type"] as? String } == ["text", "post", "interactive", "share_chat", "image"])
        }
    }

    @Test
    func aWrongSecretAStaleClockAndAnUnknownTokenAreRefused() async throws {
        try await withSandbox(seed: Self.seed) { _, baseURL in
            let wrong = await #expect(throws: LarkError.self) {
                try await LarkCustomBot(baseURL: baseURL, hookToken: "hook-signed", secret: "wrong").send(.text("x"))
            }
            #expect(wrong?.code == 19021)
            let stale = await #expect(throws: LarkError.self) {
                try await LarkCustomBot(baseURL: baseURL, hookToken: "hook-signed", secret: "test-secret", now: { Date(timeIntervalSinceNow: -3700) }).send(.text("x"))
            }
            #expect(stale?.code == 19021)
            let unknown = await #expect(throws: LarkError.self) { try await LarkCustomBot(baseURL: baseURL, hookToken: "gone").send(.text("x")) }
            #expect(unknown?.code == 19001)
            #expect(unknown?.category == .permanent)
            #expect(!"\(wrong as Any)".contains("test-secret"))
        }
    }

    @Test
    func theSixthMessageInASecondIsThrottledAndTooLongIsRefusedLocally() async throws {
        try await withSandbox(seed: Self.seed) { _, baseURL in
            try await control(baseURL, "/_sandbox/clock/freeze", "{}")
            let bot = LarkCustomBot(baseURL: baseURL, hookToken: "hook-plain")
            for index in 0..<5 { try await bot.send(.text("\(index)")) }
            let limited = await #expect(throws: LarkError.self) { try await bot.send(.text("5")) }
            #expect(limited?.code == 11232)
            if case .rateLimited = limited?.category {} else { Issue.record("11232 is a rate limit, got \(String(describing: limited))") }
            let long = await #expect(throws: LarkError.self) { try await bot.send(.text(String(repeating: "长", count: 7000))) }
            #expect(long?.code == 0)
        }
    }
}
