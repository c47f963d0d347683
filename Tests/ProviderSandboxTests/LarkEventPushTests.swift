import Foundation
import Hummingbird
import HummingbirdTesting
import LarkKit
import Logging
import ProviderSandbox
import Synchronization
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The sandbox pushes events as Lark does; LarkKit's receiver accepts them.
@Suite(.timeLimit(.minutes(1)))
struct LarkEventPushTests {
    final class Inbox: Sendable {
        let events = Mutex<[LarkEvent]>([])
        let challenges = Mutex(0)
    }

    /// Runs an app whose `/lark/events` route uses LarkEventReceiver with the given credentials.
    func withReceiver(encryptKey: String?, token: String, _ body: @Sendable (String, Inbox) async throws -> Void) async throws {
        let inbox = Inbox()
        let receiver = try LarkEventReceiver(encryptKey: encryptKey, verificationToken: token)
        let router = Router()
        router.post("/lark/events") { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            do {
                switch try receiver.receive(headers: headers, body: Array(buffer: bytes)) {
                case .urlVerification(let challenge):
                    inbox.challenges.withLock { $0 += 1 }
                    return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(bytes: receiver.challengeResponse(challenge))))
                case .event(let event):
                    inbox.events.withLock { $0.append(event) }
                    return Response(status: .ok, body: .init(byteBuffer: ByteBuffer(string: #"{"msg":"success"}"#)))
                }
            } catch {
                return Response(status: .unauthorized)
            }
        }
        var logger = Logger(label: "receiver.test")
        logger.logLevel = .warning
        try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
            .test(.live) { client in try await body("http://127.0.0.1:\(client.port!)/lark/events", inbox) }
    }

    func push(_ baseURL: String, _ json: String) async throws -> [String: Any] {
        var request = URLRequest(url: URL(string: baseURL + "/_sandbox/lark/events")!)
        request.httpMethod = "POST"
        request.httpBody = Data(json.utf8)
        let (data, _) = try await URLSession.shared.data(for: request)
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    @Test
    func anEncryptedSignedEventIsDeliveredAfterURLVerification() async throws {
        try await withReceiver(encryptKey: "push key", token: "vt_push") { receiverURL, inbox in
            try await withLarkSandbox { _, baseURL in
                try await control(baseURL, "/_sandbox/lark/apps", #"{"app_id": "cli_push", "app_secret": "s", "encrypt_key": "push key", "verification_token": "vt_push", "event_url": "\#(receiverURL)"}"#)
                let delivery = try await push(baseURL, #"{"app_id": "cli_push", "event_type": "im.message.receive_v1", "event": {"message": {"message_id": "om_1", "content": "{\"text\":\"你好\"}"}}, "url_verification": true}"#)
                #expect(delivery["delivered"] as? Bool == true)
                #expect(delivery["url_verification"] as? String == "passed")
                #expect(inbox.challenges.withLock { $0 } == 1)
                let events = inbox.events.withLock { $0 }
                #expect(events.count == 1)
                #expect(events.first?.eventType == "im.message.receive_v1")
                #expect(events.first?.eventID == delivery["event_id"] as? String)
                let payload = String(decoding: events.first?.payload ?? Data(), as: UTF8.self)
                #expect(payload.contains("om_1"))
            }
        }
    }

    @Test
    func aRejectingReceiverGetsLarksFourRetriesThenTheEventIsReportedUndelivered() async throws {
        try await withReceiver(encryptKey: "another key", token: "vt_push") { receiverURL, inbox in
            try await withLarkSandbox { _, baseURL in
                try await control(baseURL, "/_sandbox/lark/apps", #"{"app_id": "cli_push", "app_secret": "s", "encrypt_key": "push key", "verification_token": "vt_push", "event_url": "\#(receiverURL)"}"#)
                let delivery = try await push(baseURL, #"{"app_id": "cli_push", "event_type": "im.message.receive_v1", "event": {}, "retry_scale": 0.0001}"#)
                #expect(delivery["delivered"] as? Bool == false)
                let attempts = delivery["attempts"] as? [[String: Any]] ?? []
                #expect(attempts.count == 5)
                #expect(attempts.allSatisfy { $0["status"] as? Int == 401 })
                #expect(inbox.events.withLock { $0 }.isEmpty)
            }
        }
    }

    @Test
    func aPlainAppGetsPlainEventsCarryingItsToken() async throws {
        try await withReceiver(encryptKey: nil, token: "vt_plain") { receiverURL, inbox in
            try await withLarkSandbox { _, baseURL in
                try await control(baseURL, "/_sandbox/lark/apps", #"{"app_id": "cli_plain", "app_secret": "s", "verification_token": "vt_plain", "event_url": "\#(receiverURL)"}"#)
                let delivery = try await push(baseURL, #"{"app_id": "cli_plain", "event_type": "card.action.trigger", "event": {"operator": {"open_id": "ou_1"}, "token": "c-1", "action": {"tag": "button", "value": "ok"}}, "url_verification": true}"#)
                #expect(delivery["delivered"] as? Bool == true)
                let action = try inbox.events.withLock { $0 }.first.map { try $0.decode(LarkCardAction.self) }
                #expect(action?.operator?.openID == "ou_1")
                #expect(action?.action.valueJSON == #""ok""#)
            }
        }
    }

    @Test
    func aTamperedPushIsRefusedAndAV1PushIsReadAsV1() async throws {
        try await withReceiver(encryptKey: "push key", token: "vt_push") { receiverURL, inbox in
            try await withLarkSandbox { _, baseURL in
                try await control(baseURL, "/_sandbox/lark/apps", #"{"app_id": "cli_push", "app_secret": "s", "encrypt_key": "push key", "verification_token": "vt_push", "event_url": "\#(receiverURL)"}"#)
                let tampered = try await push(baseURL, #"{"app_id": "cli_push", "event_type": "im.message.receive_v1", "event": {}, "tamper": true, "retry_scale": 0.0001}"#)
                #expect(tampered["delivered"] as? Bool == false)
                #expect(inbox.events.withLock { $0 }.isEmpty)
                let v1 = try await push(baseURL, #"{"app_id": "cli_push", "event_type": "message", "schema": "1.0", "event": {"open_id": "ou_1", "text": "hi"}}"#)
                #expect(v1["delivered"] as? Bool == true)
                let event = inbox.events.withLock { $0 }.first
                #expect(event?.schema == "1.0")
                #expect(event?.eventType == "message")
                #expect(event?.eventID == v1["event_id"] as? String)
                #expect(event?.appID == "cli_push")
            }
        }
    }
}
