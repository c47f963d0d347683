import Foundation
import LarkKit
import ProviderSandbox
import Synchronization
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `duplicate_delivery` and `out_of_order` on pushed Lark events and WeCom callbacks: what
/// at-least-once delivery does to a receiver, which must dedupe by event id.
@Suite(.timeLimit(.minutes(1)))
struct PushedEventFaultTests {
    let lark = LarkEventPushTests()
    let wecom = WeComCallbackPushTests()

    func registerLarkApp(_ baseURL: String, receiverURL: String) async throws {
        try await control(baseURL, "/_sandbox/lark/apps", #"{"app_id": "cli_push", "app_secret": "s", "encrypt_key": "push key", "verification_token": "vt_push", "event_url": "\#(receiverURL)"}"#)
    }

    @Test
    func aDuplicatedLarkEventReachesTheReceiverTwiceWithTheSameEventID() async throws {
        try await lark.withReceiver(encryptKey: "push key", token: "vt_push") { receiverURL, inbox in
            try await withLarkSandbox { _, baseURL in
                try await registerLarkApp(baseURL, receiverURL: receiverURL)
                try await control(baseURL, "/_sandbox/faults", #"{"provider": "lark", "app_id": "cli_push", "kind": "duplicate_delivery"}"#)
                let delivery = try await lark.push(baseURL, #"{"app_id": "cli_push", "event_type": "im.message.receive_v1", "event": {"message": {"message_id": "om_1"}}}"#)
                #expect(delivery["duplicated"] as? Bool == true)
                let events = inbox.events.withLock { $0 }
                #expect(events.count == 2)
                #expect(Set(events.map(\.eventID)) == [delivery["event_id"] as? String])
                #expect(events.first?.payload == events.last?.payload)
                // The fault is used up: the next event comes once.
                _ = try await lark.push(baseURL, #"{"app_id": "cli_push", "event_type": "im.message.receive_v1", "event": {}}"#)
                #expect(inbox.events.withLock { $0 }.count == 3)
            }
        }
    }

    @Test
    func aHeldLarkEventArrivesAfterTheNextOne() async throws {
        try await lark.withReceiver(encryptKey: "push key", token: "vt_push") { receiverURL, inbox in
            try await withLarkSandbox { _, baseURL in
                try await registerLarkApp(baseURL, receiverURL: receiverURL)
                try await control(baseURL, "/_sandbox/faults", #"{"provider": "lark", "app_id": "cli_push", "kind": "out_of_order"}"#)
                let first = try await lark.push(baseURL, #"{"app_id": "cli_push", "event_type": "contact.user.created_v3", "event": {}}"#)
                #expect(first["held"] as? Bool == true)
                #expect(first["delivered"] as? Bool == false)
                #expect(inbox.events.withLock { $0 }.isEmpty)
                let second = try await lark.push(baseURL, #"{"app_id": "cli_push", "event_type": "contact.user.updated_v3", "event": {}}"#)
                #expect(inbox.events.withLock { $0 }.map(\.eventType) == ["contact.user.updated_v3", "contact.user.created_v3"])
                #expect(inbox.events.withLock { $0 }.map(\.eventID) == [second["event_id"] as? String, first["event_id"] as? String])
                let (data, _) = try await URLSession.shared.data(from: URL(string: baseURL + "/_sandbox/lark/events/\(first["event_id"] as? String ?? "")")!)
                let later = try JSONSerialization.jsonObject(with: data) as? [String: Any]
                #expect(later?["delivered"] as? Bool == true)
                #expect(later?["held"] as? Bool == false)
            }
        }
    }

    @Test
    func weComCallbacksAreDuplicatedWithTheSameMsgIdAndReordered() async throws {
        try await wecom.withReceiver(token: "cbtoken") { receiverURL, inbox in
            try await wecom.withApp(callbackURL: receiverURL) { baseURL in
                try await control(baseURL, "/_sandbox/faults", #"{"provider": "wecom", "app_id": "wwcorp", "kind": "duplicate_delivery"}"#)
                let (_, duplicated) = try await wecom.push(baseURL, #"{"corp_id": "wwcorp", "agent_id": 1000002, "message": {"MsgType": "text", "Content": "once"}}"#)
                #expect(duplicated["duplicated"] as? Bool == true)
                let msgID = try #require(duplicated["event_id"] as? String)
                let twice = inbox.messages.withLock { $0 }
                #expect(twice.count == 2)
                #expect(twice.allSatisfy { $0.contains("<MsgId><![CDATA[\(msgID)]]></MsgId>") })

                try await control(baseURL, "/_sandbox/faults", #"{"provider": "wecom", "app_id": "wwcorp", "kind": "out_of_order"}"#)
                let (_, held) = try await wecom.push(baseURL, #"{"corp_id": "wwcorp", "agent_id": 1000002, "message": {"MsgType": "text", "Content": "first"}}"#)
                #expect(held["held"] as? Bool == true)
                _ = try await wecom.push(baseURL, #"{"corp_id": "wwcorp", "agent_id": 1000002, "message": {"MsgType": "text", "Content": "second"}}"#)
                let contents = inbox.messages.withLock { $0 }.dropFirst(2).map { $0.contains("first") ? "first" : "second" }
                #expect(contents == ["second", "first"])
            }
        }
    }

    @Test
    func dingTalkHasNoPushedEventsToFault() async throws {
        try await withLarkSandbox { _, baseURL in
            for kind in ["duplicate_delivery", "out_of_order"] {
                let answer = try await controlAnswer(baseURL, "/_sandbox/faults", #"{"provider": "dingtalk", "app_id": "robot", "kind": "\#(kind)"}"#)
                #expect(answer.status == 400)
                #expect(answer.body.contains("no pushed events"))
            }
        }
    }
}
