import ProviderKitSupport

extension WeComClient {
    /// `POST /cgi-bin/appchat/create`: a group chat of the app with at least two members; returns
    /// its chat id (`chatID` when given: at most 32 characters of [0-9a-zA-Z]). The owner defaults
    /// to a member WeCom picks.
    public func createChat(name: String, members: [String], owner: String? = nil, chatID: String? = nil) async throws(WeComError) -> String {
        var body: [String: Any] = ["name": name, "userlist": members]
        if let owner { body["owner"] = owner }
        if let chatID { body["chatid"] = chatID }
        let answer = try await authorized(path: "/cgi-bin/appchat/create", body: body, idempotent: false)
        guard let id = answer["chatid"] as? String else {
            throw WeComError(category: .permanent, errcode: 0, errmsg: "the answer has no chatid")
        }
        return id
    }

    /// `POST /cgi-bin/appchat/send`: `content` to the app's group chat `chatID`.
    public func sendToChat(_ content: WeComMessageContent, chatID: String, safe: Bool = false) async throws(WeComError) {
        let body: [String: Any] = [
            "chatid": chatID, "msgtype": content.messageType, content.messageType: content.body, "safe": safe ? 1 : 0,
        ]
        _ = try await authorized(path: "/cgi-bin/appchat/send", body: body, idempotent: false)
    }
}
