import ProviderKitSupport

extension LarkClient {
    /// `POST /open-apis/im/v1/messages/:message_id/reply`: answers `messageID` in its chat (in its
    /// thread with `inThread`). The `uuid` (1 to 50 UTF-8 bytes) dedupes for an hour like
    /// ``sendMessage(to:content:uuid:)``'s: retry a ``ProviderErrorCategory/maybeDelivered`` reply with it.
    public func reply(
        to messageID: String, content: LarkMessageContent, inThread: Bool = false, uuid: String? = nil
    ) async throws(LarkError) -> LarkMessage {
        try Self.validate(id: messageID, of: "message")
        try Self.validate(uuid: uuid)
        var body: [String: Any] = ["msg_type": content.messageType, "content": content.contentJSON, "reply_in_thread": inThread]
        if let uuid { body["uuid"] = uuid }
        return try await authorized(path: "/open-apis/im/v1/messages/\(messageID)/reply", body: .json(body), idempotent: false, as: LarkMessage.self)
    }

    /// Refuses an id that is not letters, digits and `_` (`om_…`, `oc_…`) before it is put in a path.
    static func validate(id: String, of kind: String) throws(LarkError) {
        guard !id.isEmpty, id.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
            throw LarkError(category: .permanent, code: 0, message: "a \(kind) id is letters, digits and _")
        }
    }
}
