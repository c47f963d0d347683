import Foundation
import ProviderSandbox
import Synchronization
import Testing
import WeComKit

/// Callbacks the sandbox pushes, decrypted and read into typed messages and events by WeComKit.
@Suite(.timeLimit(.minutes(1)))
struct WeComTypedCallbackTests {
    let pushes = WeComCallbackPushTests()

    @Test
    func pushedMessagesAndEventsReadAsTypedCallbacksWithTheirDedupeKeys() async throws {
        try await pushes.withReceiver(token: "cbtoken") { receiverURL, inbox in
            try await pushes.withApp(callbackURL: receiverURL) { baseURL in
                let (_, text) = try await pushes.push(
                    baseURL, #"{"corp_id": "wwcorp", "agent_id": 1000002, "message": {"MsgType": "text", "FromUserName": "zhangsan", "Content": "你好"}}"#)
                _ = try await pushes.push(
                    baseURL,
                    #"{"corp_id": "wwcorp", "agent_id": 1000002, "message": {"MsgType": "event", "Event": "change_contact", "ChangeType": "delete_user", "FromUserName": "sys", "UserID": "lisi", "CreateTime": 1700000000}}"#)
                let callbacks = try inbox.messages.withLock { $0 }.map { try WeComCallback(xml: $0) }
                #expect(callbacks.count == 2)
                let messageID = try #require(text["event_id"] as? String)
                #expect(callbacks.first?.kind == .message(id: messageID, .text(content: "你好")))
                #expect(callbacks.first?.dedupeKey == "wwcorp|1000002|msg|\(messageID)")
                #expect(callbacks.last?.kind == .event(.changeContact(.deleteUser(userID: "lisi"))))
                #expect(callbacks.last?.from == "sys")
                #expect(callbacks.last?.dedupeKey == "wwcorp|1000002|event|sys|1700000000|event|Event=change_contact|ChangeType=delete_user|UserID=lisi")
            }
        }
    }
}
