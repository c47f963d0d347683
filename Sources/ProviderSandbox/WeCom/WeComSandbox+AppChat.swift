import Foundation

extension WeComSandbox {
    /// `POST /cgi-bin/appchat/create` `{name, owner?, userlist, chatid?}`: at least two members, all
    /// in the corp; the owner defaults to the first member; a given `chatid` is at most 32
    /// characters of [0-9a-zA-Z] and must be new.
    func createChat(accessToken: String?, body raw: Data) throws(WeComAPIError) -> Data {
        let app = try app(forToken: accessToken)
        guard let body = (try? JSONSerialization.jsonObject(with: raw)) as? [String: Any],
            let members = body["userlist"] as? [String], Set(members).count >= 2, members.count <= 2000
        else { throw .invalidParameter }
        let known = users[app.corpID] ?? [:]
        guard members.allSatisfy({ known[$0] != nil }) else { throw .chatMemberNotFound }
        let owner = body["owner"] as? String ?? members[0]
        guard members.contains(owner) else { throw .invalidParameter }
        var chatID = body["chatid"] as? String ?? ""
        if chatID.isEmpty {
            messageCounter += 1
            chatID = "wrchat" + String(messageCounter)
        }
        guard chatID.count <= 32, chatID.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { throw .invalidParameter }
        guard chats[app.corpID]?[chatID] == nil else { throw .chatExists }
        chats[app.corpID, default: [:]][chatID] = WeComSandboxChat(
            chatid: chatID, name: body["name"] as? String ?? "", owner: owner, userlist: members)
        return Self.ok(["chatid": chatID])
    }

    /// `GET /cgi-bin/appchat/get?chatid=`: `chat_info {chatid, name, owner, userlist}`.
    func chat(accessToken: String?, chatID: String?) throws(WeComAPIError) -> Data {
        let app = try app(forToken: accessToken)
        guard let chatID, let chat = chats[app.corpID]?[chatID] else { throw .chatNotFound }
        return Self.ok(["chat_info": ["chatid": chat.chatid, "name": chat.name, "owner": chat.owner, "userlist": chat.userlist]])
    }

    /// `POST /cgi-bin/appchat/send` `{chatid, msgtype, <msgtype>, safe}`: recorded once per chat.
    func sendToChat(accessToken: String?, body raw: Data) throws(WeComAPIError) -> Data {
        let app = try app(forToken: accessToken)
        guard let body = (try? JSONSerialization.jsonObject(with: raw)) as? [String: Any] else { throw .invalidParameter }
        let messageType = body["msgtype"] as? String ?? ""
        let chatID = body["chatid"] as? String ?? ""
        let record = SandboxRecord(
            provider: "wecom", appID: "\(app.corpID)/\(app.agentID)", outcome: .rejected, recipientType: "chatid",
            recipient: chatID, messageType: messageType, content: Self.contentJSON(body, messageType), dedupeKey: nil,
            messageID: nil, reason: nil, time: clock.now())
        do throws(WeComAPIError) {
            guard chats[app.corpID]?[chatID] != nil else { throw .chatNotFound }
            guard Self.messageTypes.contains(messageType) else { throw .invalidMessageType }
            try Self.checkContent(messageType: messageType, body: body)
            try checkMedia(corpID: app.corpID, messageType: messageType, body: body)
        } catch {
            log.recordWeCom(record, failure: error)
            throw error
        }
        log.recordWeCom(record, failure: nil)
        return Self.ok()
    }

    /// The object under the `msgtype` key, as sorted JSON (what the message log shows).
    static func contentJSON(_ body: [String: Any], _ messageType: String) -> String {
        body[messageType].flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]) }
            .map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}
