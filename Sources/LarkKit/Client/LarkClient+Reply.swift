import ProviderKitSupport

extension LarkClient {
    /// `POST /open-apis/im/v1/messages/:message_id/reply`: answers `messageID` in its chat (in its
    /// thread with `inThread`). The `uuid` (1 to 50 characters) dedupes for an hour like
    /// ``sendMessage(to:content:uuid:)``'s: retry a ``ProviderErrorCategory/maybeDelivered`` reply with it.
    public func reply(
        to messageID: String, content: LarkMessageContent, inThread: Bool = false, uuid: String? = nil
    ) async throws(LarkError) -> LarkMessage {
        guard !messageID.isEmpty, messageID.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw LarkError(category: .permanent, code: 0, message: "a message id is letters, digits and _ (om_…)")
        }
        try Self.validate(uuid: uuid)
        var body: [String: Any] = ["msg_type": content.messageType, "content": content.contentJSON, "reply_in_thread": inThread]
        if let uuid { body["uuid"] = uuid }
        return try await authorized(path: "/open-apis/im/v1/messages/\(messageID)/reply", body: .json(body), idempotent: false, as: LarkMessage.self)
    }
}
