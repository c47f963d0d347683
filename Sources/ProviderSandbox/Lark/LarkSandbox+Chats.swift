import Foundation

extension LarkSandbox {
    /// How long a `uuid` dedupes chat creation (Lark: one chat per uuid within 10 hours).
    static let chatDedupeWindow: TimeInterval = 10 * 3600

    /// `POST /open-apis/im/v1/chats?user_id_type=&uuid=`: a group chat with the app's bot, the
    /// listed users (≤ 50, each a seeded user) and bots (≤ 5, each a registered app). The owner is
    /// `owner_id` or, without one, the bot. A repeated `uuid` within 10 hours answers the first chat.
    func createChat(appID: String, userIDType: String?, uuid: String?, body raw: Data) throws(LarkAPIError) -> Data {
        try admitCall(appID: appID, api: .createChat)
        let type = userIDType ?? "open_id"
        guard Self.userIDTypes.contains(type) else { throw .fieldValidation("user_id_type") }
        guard let body = (try? JSONSerialization.jsonObject(with: raw)) as? [String: Any] else {
            throw .chatInvalidParameter("the body must be a JSON object")
        }
        if let uuid, uuid.isEmpty || uuid.count > 50 { throw .fieldValidation("uuid is 1 to 50 characters") }
        let now = clock.now()
        let dedupeKey = uuid.map { appID + "|" + $0 }
        if let dedupeKey, let earlier = chatsByDedupeKey[dedupeKey], now.timeIntervalSince(earlier.at) < Self.chatDedupeWindow {
            return earlier.answer
        }
        let userIDs = body["user_id_list"] as? [String] ?? []
        let botIDs = body["bot_id_list"] as? [String] ?? []
        guard userIDs.count <= 50, botIDs.count <= 5 else { throw .chatInvalidParameter("at most 50 users and 5 bots") }
        let members = try userIDs.map { id throws(LarkAPIError) in
            guard let user = seededUser(id, type: type) else { throw .memberNotVisible }
            return user.openID
        }
        guard botIDs.allSatisfy({ apps[$0] != nil }) else { throw .memberNotVisible }
        var owner = (id: appID, type: "app_id")
        if let ownerID = body["owner_id"] as? String {
            guard seededUser(ownerID, type: type) != nil else { throw .memberNotVisible }
            owner = (ownerID, type)
        }
        messageCounter += 1
        let counter = String(messageCounter, radix: 16)
        let chatID = "oc_" + String(repeating: "0", count: max(0, 32 - counter.count)) + counter
        let name = body["name"] as? String ?? ""
        register(LarkSandboxChat(chatID: chatID, name: name, members: [appID] + botIDs + members))
        let chat: [String: Any] = [
            "chat_id": chatID, "name": name, "description": body["description"] as? String ?? "", "avatar": "",
            "owner_id": owner.id, "owner_id_type": owner.type, "chat_mode": body["chat_mode"] as? String ?? "group",
            "chat_type": body["chat_type"] as? String ?? "private", "external": body["external"] as? Bool ?? false,
            "tenant_key": "sandbox",
        ]
        let answer = Self.success(chat)
        if let dedupeKey { chatsByDedupeKey[dedupeKey] = (answer, now) }
        return answer
    }

    /// `GET /open-apis/im/v1/chats/:chat_id/members?member_id_type=&page_size=&page_token=`: the
    /// chat's users (bots are not listed), `page_size` 1 to 100 (default 20), with `has_more`, an
    /// opaque `page_token` and `member_total`. The app's bot must be in the chat.
    func chatMembers(appID: String, chatID: String, memberIDType: String?, pageSize: String?, pageToken: String?) throws(LarkAPIError) -> Data {
        try admitCall(appID: appID, api: .chatMembers)
        let type = memberIDType ?? "open_id"
        guard Self.userIDTypes.contains(type) else { throw .fieldValidation("member_id_type") }
        guard let size = Int(pageSize ?? "20"), (1...100).contains(size) else { throw .fieldValidation("page_size is 1 to 100") }
        guard let chat = chats[chatID] else { throw .chatNotFound }
        guard chat.members.contains(appID) else { throw .operatorNotInChat }
        let people = chat.members.filter { apps[$0] == nil }
        var start = 0
        if let pageToken, !pageToken.isEmpty {
            guard pageToken.hasPrefix("pt_"), let offset = Int(pageToken.dropFirst(3)), (0...people.count).contains(offset) else {
                throw .fieldValidation("page_token")
            }
            start = offset
        }
        let end = min(start + size, people.count)
        let items: [[String: Any]] = people[start..<end].map { openID in
            let user = users.first { $0.openID == openID }
            let id = user.flatMap { Self.id(of: $0, type: type) } ?? openID
            return ["member_id": id, "member_id_type": type, "name": user?.name ?? "", "tenant_key": "sandbox"]
        }
        let hasMore = end < people.count
        return Self.success(["items": items, "has_more": hasMore, "page_token": hasMore ? "pt_\(end)" : "", "member_total": people.count])
    }
}
