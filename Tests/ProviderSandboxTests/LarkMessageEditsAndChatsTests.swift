import Foundation
import LarkKit
import NIOCore
import ProviderSandbox
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// LarkKit's recall, card update, chat creation and member lists against the sandbox over real HTTP.
@Suite(.timeLimit(.minutes(1)))
struct LarkMessageEditsAndChatsTests {
    /// The sandbox's view of a message (`GET /_sandbox/lark/messages/{id}`).
    func messageState(_ baseURL: String, _ messageID: String) async throws -> [String: Any] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: baseURL + "/_sandbox/lark/messages/" + messageID)!)
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }

    static let card = LarkMessageContent.card(json: #"{"elements":[{"tag":"markdown","content":"deploying"}]}"#)

    @Test
    func aRecalledMessageStaysRecalledAndARepeatedRecallStillSucceeds() async throws {
        try await withLarkSandbox { _, baseURL in
            let lark = larkClient(baseURL)
            let sent = try await lark.sendMessage(to: .chatID("oc_ops"), content: .text("oops"))
            try await lark.recall(messageID: sent.messageID)
            #expect(try await messageState(baseURL, sent.messageID)["deleted"] as? Bool == true)
            // A retry after a lost answer meets "already recalled" (230011): still what was asked for.
            try await lark.recall(messageID: sent.messageID)
            let reply = await #expect(throws: LarkError.self) { try await lark.reply(to: sent.messageID, content: .text("x")) }
            #expect(reply?.code == 230011)
            #expect(reply?.category == .permanent)

            let unknown = await #expect(throws: LarkError.self) { try await lark.recall(messageID: "om_nobodys") }
            #expect(unknown?.code == 230001)
            let old = try await lark.sendMessage(to: .chatID("oc_ops"), content: .text("yesterday"))
            try await control(baseURL, "/_sandbox/clock/advance", #"{"seconds": 86401}"#)
            let late = await #expect(throws: LarkError.self) { try await lark.recall(messageID: old.messageID) }
            #expect(late?.code == 230026)
            #expect(late?.category == .permanent)
        }
    }

    @Test
    func aCardUpdateReplacesItsContentAndOnlyCardsCanBeUpdated() async throws {
        try await withLarkSandbox { _, baseURL in
            let lark = larkClient(baseURL)
            let card = try await lark.sendMessage(to: .chatID("oc_ops"), content: Self.card)
            try await lark.updateCard(messageID: card.messageID, content: .cardTemplate(id: "ctp_done", variablesJSON: #"{"state":"done"}"#))
            let state = try await messageState(baseURL, card.messageID)
            #expect(state["updated"] as? Bool == true)
            #expect(((state["body"] as? [String: Any])?["content"] as? String)?.contains("ctp_done") == true)

            let text = try await lark.sendMessage(to: .chatID("oc_ops"), content: .text("plain"))
            let notACard = await #expect(throws: LarkError.self) { try await lark.updateCard(messageID: text.messageID, content: Self.card) }
            #expect(notACard?.code == 230001)
            let local = await #expect(throws: LarkError.self) { try await lark.updateCard(messageID: card.messageID, content: .text("x")) }
            #expect(local?.code == 0)
            #expect(local?.category == .permanent)
            try await lark.recall(messageID: card.messageID)
            let recalled = await #expect(throws: LarkError.self) { try await lark.updateCard(messageID: card.messageID, content: Self.card) }
            #expect(recalled?.code == 230011)
        }
    }

    @Test
    func aCreatedChatDedupesByUUIDAndItsMembersArePagedThrough() async throws {
        try await withLarkSandbox { _, baseURL in
            for index in 0..<3 {
                try await control(baseURL, "/_sandbox/lark/users", #"{"open_id": "ou_m\#(index)", "user_id": "m\#(index)", "name": "M\#(index)"}"#)
            }
            let lark = larkClient(baseURL)
            let creation = LarkChatCreation(name: "Incident 42", users: ["ou_alice", "ou_m0", "ou_m1", "ou_m2"])
            let chat = try await lark.createChat(creation, uuid: "incident-42")
            #expect(chat.chatID.hasPrefix("oc_"))
            #expect(chat.name == "Incident 42")
            #expect(chat.ownerIDType == "app_id")
            #expect(chat.chatType == "private")
            let again = try await lark.createChat(creation, uuid: "incident-42")
            #expect(again.chatID == chat.chatID)
            _ = try await lark.sendMessage(to: .chatID(chat.chatID), content: .text("war room open"))

            let first = try await lark.chatMembers(chatID: chat.chatID, pageSize: 3)
            #expect(first.members.map(\.memberID) == ["ou_alice", "ou_m0", "ou_m1"])
            #expect(first.hasMore)
            #expect(first.total == 4)
            let second = try await lark.chatMembers(chatID: chat.chatID, pageSize: 3, pageToken: first.pageToken)
            #expect(second.members.map(\.memberID) == ["ou_m2"])
            #expect(!second.hasMore)
            let byUserID = try await lark.allChatMembers(chatID: chat.chatID, idType: .userID)
            #expect(byUserID.map(\.memberID) == ["alice", "m0", "m1", "m2"])
            #expect(byUserID.first?.name == "Alice")

            let stranger = await #expect(throws: LarkError.self) { try await lark.createChat(.init(users: ["ou_nobody"])) }
            #expect(stranger?.code == 232024)
            let noChat = await #expect(throws: LarkError.self) { try await lark.chatMembers(chatID: "oc_none") }
            #expect(noChat?.code == 232006)
            try await control(baseURL, "/_sandbox/lark/chats", #"{"chat_id": "oc_private", "members": ["ou_bob"]}"#)
            let outside = await #expect(throws: LarkError.self) { try await lark.chatMembers(chatID: "oc_private") }
            #expect(outside?.code == 232011)
            let tooBig = await #expect(throws: LarkError.self) { try await lark.chatMembers(chatID: chat.chatID, pageSize: 101) }
            #expect(tooBig?.code == 0)
        }
    }

    @Test
    func aLostAnswerIsRetryableForARecallButMaybeDeliveredForAChatCreate() async throws {
        try await withLarkSandbox { _, baseURL in
            // The setup goes through a patient client; the impatient one (a deadline the 6 s latency
            // outlasts) has its token before the fault, however slow the machine.
            let sent = try await larkClient(baseURL).sendMessage(to: .chatID("oc_ops"), content: .text("x"))
            let lark = larkClient(baseURL, timeout: .milliseconds(2500))
            var warmed = false
            for _ in 1...5 where !warmed {  // a send caches the client's token (a bare fetch does not)
                warmed = (try? await lark.sendMessage(to: .chatID("oc_ops"), content: .text("warm"))) != nil
            }
            #expect(warmed)
            try await control(baseURL, "/_sandbox/faults", #"{"provider": "lark", "app_id": "cli_test", "kind": "latency", "ms": 6000}"#)
            let recall = await #expect(throws: LarkError.self) { try await lark.recall(messageID: sent.messageID) }
            #expect(recall?.category == .retryable)
            let create = await #expect(throws: LarkError.self) { try await lark.createChat(.init(name: "x"), uuid: "c-1") }
            #expect(create?.category == .maybeDelivered)
        }
    }

    @Test
    func audioVideoAndStickerMessagesNameUploadedFiles() async throws {
        try await withLarkSandbox { _, baseURL in
            let lark = larkClient(baseURL)
            let voice = try await lark.uploadFile(Data(repeating: 1, count: 64), name: "note.opus", type: .opus, durationMilliseconds: 1200)
            let video = try await lark.uploadFile(Data(repeating: 2, count: 64), name: "clip.mp4", type: .mp4, durationMilliseconds: 3000)
            let cover = try await lark.uploadImage(Data(repeating: 3, count: 64))
            _ = try await lark.sendMessage(to: .openID("ou_alice"), content: .audio(fileKey: voice))
            _ = try await lark.sendMessage(to: .openID("ou_alice"), content: .media(fileKey: video, imageKey: cover))
            _ = try await lark.sendMessage(to: .openID("ou_alice"), content: .sticker(fileKey: voice))
            let noCover = await #expect(throws: LarkError.self) {
                try await lark.sendMessage(to: .openID("ou_alice"), content: .media(fileKey: video, imageKey: "img_invented"))
            }
            #expect(noCover?.code == 230001)
            let types = try await sandboxMessages(baseURL).filter { $0["outcome"] as? String == "accepted" }.compactMap { $0["message_type"] as? String }
            #expect(types == ["audio", "media", "sticker"])
        }
    }
}
