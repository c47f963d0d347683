import Foundation

extension LarkSandbox {
    /// How long after sending a message its app may recall it: Lark's default (a tenant admin can
    /// change it).
    static let recallWindow: TimeInterval = 24 * 3600

    /// `DELETE /open-apis/im/v1/messages/:message_id`: marks the app's message recalled; 230011 when
    /// it is already, 230026 past the recall window.
    func recall(appID: String, messageID: String) throws(LarkAPIError) -> Data {
        try admitCall(appID: appID, api: .recall)
        var sent = try ownMessage(appID: appID, messageID: messageID)
        let now = clock.now()
        guard now.timeIntervalSince(sent.sentAt) <= Self.recallWindow else { throw .recallRefused }
        sent.message.deleted = true
        sent.message.updateTime = Self.millis(now)
        sentMessages[messageID] = sent
        return Self.success([:])
    }

    /// `PATCH /open-apis/im/v1/messages/:message_id` `{content}`: replaces a card's content. Only
    /// cards (`interactive`) can be updated (230001 otherwise, UNCERTAIN code); the content is
    /// checked like a send's (a JSON object as a string, at most 30 KB).
    func updateCard(appID: String, messageID: String, body raw: Data) throws(LarkAPIError) -> Data {
        try admitCall(appID: appID, api: .updateCard)
        var sent = try ownMessage(appID: appID, messageID: messageID)
        guard sent.message.messageType == "interactive" else { throw .invalidParameter("only a card (interactive) message can be updated") }
        let body = (try? JSONSerialization.jsonObject(with: raw)) as? [String: Any]
        guard let content = body?["content"] as? String, (try? JSONSerialization.jsonObject(with: Data(content.utf8))) is [String: Any] else {
            throw .invalidParameter("content must be a JSON object serialised as a string")
        }
        if content.utf8.count > Self.contentLimit("interactive") { throw .contentTooLong }
        sent.message.body.content = content
        sent.message.updated = true
        sent.message.updateTime = Self.millis(clock.now())
        sentMessages[messageID] = sent
        return Self.success([:])
    }

    /// A message as `im/v1/messages` shows it now (recalled, updated), for `GET /_sandbox/lark/messages/{id}`.
    func messageState(_ messageID: String) -> Data? {
        sentMessages[messageID].flatMap { try? JSONEncoder().encode($0.message) }
    }

    /// The message `messageID` if `appID` sent it and it is not recalled.
    private func ownMessage(appID: String, messageID: String) throws(LarkAPIError) -> LarkSandboxSentMessage {
        // UNCERTAIN: the code for a message id the app did not send; the sandbox answers 230001.
        guard let sent = sentMessages[messageID], sent.appID == appID else {
            throw .invalidParameter("message_id \(messageID) is not a message this app sent")
        }
        guard !sent.deleted else { throw .messageRecalled }
        return sent
    }

    /// Milliseconds since 1970 as a string, as Lark writes times.
    static func millis(_ date: Date) -> String { String(Int64(date.timeIntervalSince1970 * 1000)) }
}
