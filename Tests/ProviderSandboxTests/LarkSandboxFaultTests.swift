import Foundation
import LarkKit
import NIOCore
import ProviderSandbox
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Lark's rate limits and the injected faults, as LarkKit sees them.
@Suite(.timeLimit(.minutes(1)))
struct LarkSandboxFaultTests {
    @Test
    func aSixthMessageToOneUserWithinASecondIsThrottled() async throws {
        try await withLarkSandbox { _, baseURL in
            try await control(baseURL, "/_sandbox/clock/freeze", "{}")
            let client = larkClient(baseURL)
            for index in 0..<5 {
                _ = try await client.sendMessage(to: .openID("ou_alice"), content: .text("\(index)"))
            }
            let error = await #expect(throws: LarkError.self) {
                try await client.sendMessage(to: .openID("ou_alice"), content: .text("6th"))
            }
            #expect(error?.code == 230020)
            #expect(error?.category == .rateLimited(retryAfter: LarkError.recipientThrottleBlock))
            _ = try await client.sendMessage(to: .openID("ou_bob"), content: .text("another user is fine"))
            try await control(baseURL, "/_sandbox/clock/advance", #"{"seconds": 1.1}"#)
            _ = try await client.sendMessage(to: .openID("ou_alice"), content: .text("a second later"))
        }
    }

    @Test
    func theFiftyFirstCallInASecondIsA429WithTheResetHeader() async throws {
        try await withLarkSandbox { _, baseURL in
            for index in 0..<51 {
                try await control(baseURL, "/_sandbox/lark/users", #"{"open_id": "ou_u\#(index)", "name": "U\#(index)"}"#)
            }
            try await control(baseURL, "/_sandbox/clock/freeze", "{}")
            let client = larkClient(baseURL)
            for index in 0..<50 {
                _ = try await client.sendMessage(to: .openID("ou_u\(index)"), content: .text("hi"))
            }
            let error = await #expect(throws: LarkError.self) {
                try await client.sendMessage(to: .openID("ou_u50"), content: .text("hi"))
            }
            #expect(error?.code == 99991400)
            #expect(error?.httpStatus == 429)
            #expect(error?.category == .rateLimited(retryAfter: .seconds(1)))
        }
    }

    @Test
    func forcedErrorsAreAnsweredThenCallsSucceedAgain() async throws {
        try await withLarkSandbox { _, baseURL in
            let client = larkClient(baseURL)
            // A send fills the client's token cache (fetchTenantToken() does not), so the faults
            // below meet the calls they are aimed at, not a token fetch in front of them.
            _ = try await client.sendMessage(to: .openID("ou_alice"), content: .text("warm"))
            try await control(baseURL, "/_sandbox/faults", #"{"provider": "lark", "app_id": "cli_test", "kind": "force_error", "code": -1, "http_status": 503, "count": 2}"#)
            let unavailableRead = await #expect(throws: LarkError.self) { try await client.fetchTenantToken() }
            #expect(unavailableRead?.category == .retryable)  // nothing changes by asking again
            let unavailableSend = await #expect(throws: LarkError.self) {
                try await client.sendMessage(to: .openID("ou_alice"), content: .text("x"))
            }
            #expect(unavailableSend?.category == .maybeDelivered)  // a 5xx does not say the message stayed
            try await control(baseURL, "/_sandbox/faults", #"{"provider": "lark", "app_id": "cli_test", "kind": "force_error", "code": 230013, "count": 2}"#)
            for _ in 0..<2 {
                let forced = await #expect(throws: LarkError.self) {
                    try await client.sendMessage(to: .openID("ou_alice"), content: .text("x"))
                }
                #expect(forced?.code == 230013)
                #expect(forced?.category == .permanent)
            }
            _ = try await client.sendMessage(to: .openID("ou_alice"), content: .text("fine again"))
        }
    }

    @Test
    func anErrorRateFailsReadsRetryablyAndSendsMaybeDeliveredAsDoesALostAnswer() async throws {
        try await withLarkSandbox { _, baseURL in
            let client = larkClient(baseURL, timeout: .milliseconds(2500))  // latency fault: 6 s; timeout: never
            // A send fills the client's token cache, so each fault meets the send, not a token fetch.
            _ = try await client.sendMessage(to: .openID("ou_alice"), content: .text("warm"))
            let cases: [(String, String, LarkError.Category)] = [
                ("error_rate", #", "rate": 1.0"#, .maybeDelivered),  // Lark's HTTP 500 does not say the message stayed
                ("latency", #", "ms": 6000"#, .maybeDelivered),  // the client gave up after sending
                ("timeout", "", .maybeDelivered),
            ]
            for (kind, extra, category) in cases {
                try await control(baseURL, "/_sandbox/faults", #"{"provider": "lark", "app_id": "cli_test", "kind": "\#(kind)"\#(extra)}"#)
                let error = await #expect(throws: LarkError.self) {
                    try await client.sendMessage(to: .openID("ou_alice"), content: .text(kind))
                }
                #expect(error?.category == category, "\(kind)")
                if kind == "error_rate" {
                    let read = await #expect(throws: LarkError.self) { try await client.fetchTenantToken() }
                    #expect(read?.category == .retryable, "a read under error_rate may simply be asked again")
                    #expect(read?.httpStatus == 500)
                }
                var request = URLRequest(url: URL(string: baseURL + "/_sandbox/faults")!)
                request.httpMethod = "DELETE"
                _ = try await URLSession.shared.data(for: request)
                _ = try await client.sendMessage(to: .openID("ou_alice"), content: .text("after \(kind)"))
                try await control(baseURL, "/_sandbox/clock/advance", #"{"seconds": 1.1}"#)
            }
        }
    }

    @Test
    func unknownFaultKindsAreRefusedWithAReason() async throws {
        try await withLarkSandbox { _, baseURL in
            let answer = try await controlAnswer(baseURL, "/_sandbox/faults", #"{"provider": "lark", "app_id": "cli_test", "kind": "meteor"}"#)
            #expect(answer.status == 400)
            #expect(answer.body.contains("unknown kind"))
        }
    }
}
