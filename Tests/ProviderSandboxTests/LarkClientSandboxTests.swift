import Foundation
import LarkKit
import NIOCore
import ProviderSandbox
import Testing
import YizhanTesting

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// LarkKit against the sandbox over real HTTP.
@Suite(.timeLimit(.minutes(1)))
struct LarkClientSandboxTests {
    @Test
    func sendsTextToUsersByEveryIDTypeAndToAChat() async throws {
        try await withLarkSandbox { _, baseURL in
            let client = larkClient(baseURL)
            for recipient: LarkRecipient in [.openID("ou_alice"), .userID("alice"), .unionID("on_alice"), .email("bob@corp.example"), .chatID("oc_ops")] {
                let message = try await client.sendMessage(to: recipient, content: .text("deploy ✅ <at user_id=\"ou_alice\">Alice</at>"))
                #expect(message.messageID.hasPrefix("om_"))
                #expect(message.messageType == "text")
            }
            let records = try await sandboxMessages(baseURL)
            #expect(records.count == 5)
            #expect(records.allSatisfy { $0["outcome"] as? String == "accepted" })
            #expect((records.first?["content"] as? String)?.contains("deploy ✅") == true)
        }
    }

    @Test
    func theSameTokenIsReturnedUntilLessThanThirtyMinutesAreLeft() async throws {
        try await withLarkSandbox { _, baseURL in
            let client = larkClient(baseURL)
            let first = try await client.fetchTenantToken()
            #expect(first.token.hasPrefix("t-"))
            #expect(first.expiresIn == 7200)
            let again = try await client.fetchTenantToken()
            #expect(again.token == first.token)
            try await control(baseURL, "/_sandbox/clock/advance", #"{"seconds": 5500}"#)
            let renewed = try await client.fetchTenantToken()
            #expect(renewed.token != first.token)
            // The old token stays valid until it expires.
            let pinned = larkClient(baseURL, tokens: FixedToken(value: first.token))
            _ = try await pinned.sendMessage(to: .openID("ou_bob"), content: .text("still valid"))
            try await control(baseURL, "/_sandbox/clock/advance", #"{"seconds": 1800}"#)
            let expired = await #expect(throws: LarkError.self) {
                try await pinned.sendMessage(to: .openID("ou_bob"), content: .text("expired"))
            }
            #expect(expired?.code == 99991663)
            #expect(expired?.category == .authentication)
        }
    }

    @Test
    func aRevokedTokenIsRefreshedAndTheCallRetriedOnce() async throws {
        try await withLarkSandbox { _, baseURL in
            let client = larkClient(baseURL)
            _ = try await client.sendMessage(to: .openID("ou_alice"), content: .text("one"))
            try await control(baseURL, "/_sandbox/faults", #"{"provider": "lark", "app_id": "cli_test", "kind": "revoke_tokens"}"#)
            let message = try await client.sendMessage(to: .openID("ou_alice"), content: .text("two"))
            #expect(message.messageID.hasPrefix("om_"))
            let accepted = try await sandboxMessages(baseURL).filter { $0["outcome"] as? String == "accepted" }
            #expect(accepted.count == 2)
        }
    }

    @Test
    func unknownRecipientsAndBadInputArePermanentErrorsWithLarksCodes() async throws {
        try await withLarkSandbox { _, baseURL in
            let client = larkClient(baseURL)
            let cases: [(LarkRecipient, LarkMessageContent, Int)] = [
                (.openID("ou_nobody"), .text("x"), 230013),
                (.chatID("oc_unknown"), .text("x"), 230002),
                (.openID("ou_alice"), .card(json: "{\"elements\":[\"" + String(repeating: "x", count: 31 * 1024) + "\"]}"), 230025),
                (.openID("ou_alice"), .card(json: "not json"), 230001),
            ]
            for (recipient, content, code) in cases {
                let error = await #expect(throws: LarkError.self) { try await client.sendMessage(to: recipient, content: content) }
                #expect(error?.code == code)
                #expect(error?.category == .permanent)
            }
            let rejected = try await sandboxMessages(baseURL).filter { $0["outcome"] as? String == "rejected" }
            #expect(rejected.count == cases.count)
            #expect((rejected.first?["reason"] as? String)?.hasPrefix("230013") == true)
        }
    }

    @Test
    func aRepeatedUUIDWithinAnHourDeliversOnce() async throws {
        try await withLarkSandbox { _, baseURL in
            let client = larkClient(baseURL)
            let first = try await client.sendMessage(to: .openID("ou_alice"), content: .text("once"), uuid: "req-1")
            let second = try await client.sendMessage(to: .openID("ou_alice"), content: .text("once"), uuid: "req-1")
            #expect(second.messageID == first.messageID)
            try await control(baseURL, "/_sandbox/clock/advance", #"{"seconds": 3601}"#)
            let later = try await client.sendMessage(to: .openID("ou_alice"), content: .text("once"), uuid: "req-1")
            #expect(later.messageID != first.messageID)
            let outcomes = try await sandboxMessages(baseURL).compactMap { $0["outcome"] as? String }
            #expect(outcomes == ["accepted", "dropped", "accepted"])
        }
    }

    @Test
    func aWrongSecretIsPermanentAndANetworkFailureRetryable() async throws {
        try await withLarkSandbox { _, baseURL in
            let error = await #expect(throws: LarkError.self) {
                try await larkClient(baseURL, secret: "wrong").sendMessage(to: .openID("ou_alice"), content: .text("x"))
            }
            #expect(error?.code == 10014)
            #expect(error?.category == .permanent)
        }
        let error = try await RefusedPort.with { port in
            await #expect(throws: LarkError.self) {
                try await larkClient("http://127.0.0.1:\(port)", timeout: .seconds(1)).sendMessage(to: .openID("ou_alice"), content: .text("x"))
            }
        }
        #expect(error?.category == .retryable)
    }
}

/// A token source that always hands out one token.
struct FixedToken: TokenSource {
    let value: String
    func token() async throws(LarkError) -> String { value }
    func invalidate(_ token: String) async {}
}
