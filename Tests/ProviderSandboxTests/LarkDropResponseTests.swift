import Foundation
import LarkKit
import NIOCore
import ProviderSandbox
import Testing

/// A send whose answer is lost after Lark did it: the case `uuid` exists for.
@Suite(.timeLimit(.minutes(1)))
struct LarkDropResponseTests {
    @Test
    func aLostAnswerIsMaybeDeliveredAndARetryWithTheSameUUIDDeliversOnce() async throws {
        try await withLarkSandbox { _, baseURL in
            let client = larkClient(baseURL, timeout: .seconds(10))
            _ = try await client.fetchTenantToken()
            try await control(baseURL, "/_sandbox/faults", #"{"provider": "lark", "app_id": "cli_test", "kind": "drop_response"}"#)
            let uuid = "deploy-42-notify-alice"
            let lost = await #expect(throws: LarkError.self) {
                try await client.sendMessage(to: .openID("ou_alice"), content: .text("deploy 42 done"), uuid: uuid)
            }
            #expect(lost?.category == .maybeDelivered)
            #expect(lost?.code == 0)

            let retried = try await client.sendMessage(to: .openID("ou_alice"), content: .text("deploy 42 done"), uuid: uuid)
            #expect(retried.messageID.hasPrefix("om_"))
            let records = try await sandboxMessages(baseURL)
            let delivered = records.filter { $0["outcome"] as? String == "accepted" }
            #expect(delivered.count == 1)
            #expect(delivered.first?["message_id"] as? String == retried.messageID)
            #expect(records.filter { $0["outcome"] as? String == "dropped" }.count == 1)
        }
    }

    @Test
    func dropResponseMeetsOnlySendsAndOnlyAsManyAsCounted() async throws {
        try await withLarkSandbox { _, baseURL in
            try await control(baseURL, "/_sandbox/faults", #"{"provider": "lark", "app_id": "cli_test", "kind": "drop_response", "count": 2}"#)
            // The token fetch is not a send: it gets its answer.
            let client = larkClient(baseURL, timeout: .seconds(10))
            _ = try await client.fetchTenantToken()
            for index in 0..<2 {
                let lost = await #expect(throws: LarkError.self) {
                    try await client.sendMessage(to: .chatID("oc_ops"), content: .text("\(index)"))
                }
                #expect(lost?.category == .maybeDelivered)
            }
            _ = try await client.sendMessage(to: .chatID("oc_ops"), content: .text("answered"))
            // Without a uuid each lost send was delivered: a blind retry would have shown it twice.
            #expect(try await sandboxMessages(baseURL).filter { $0["outcome"] as? String == "accepted" }.count == 3)
        }
    }
}
