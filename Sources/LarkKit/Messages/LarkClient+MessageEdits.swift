import NIOHTTP1
import ProviderKitSupport

extension LarkClient {
    /// 230011: the message has been recalled already.
    static let alreadyRecalledCode = 230011

    /// `DELETE /open-apis/im/v1/messages/:message_id`: recalls a message the app sent.
    ///
    /// Treated as idempotent: recalling twice leaves the message recalled, so a lost answer is
    /// ``ProviderErrorCategory/retryable`` (never "maybe delivered"), and a retry that meets
    /// "already recalled" (230011) returns normally: the caller asked for a recalled message and
    /// has one. Lark's recall window (24 h by default, set by the tenant admin) and "not this
    /// app's message" come back as ``ProviderErrorCategory/permanent``.
    public func recall(messageID: String) async throws(LarkError) {
        try Self.validate(id: messageID, of: "message")
        struct Nothing: Decodable {}
        do {
            _ = try await authorized(.DELETE, path: "/open-apis/im/v1/messages/\(messageID)", body: nil, idempotent: true, as: Nothing.self)
        } catch where error.code == Self.alreadyRecalledCode {
            return
        }
    }

    /// `PATCH /open-apis/im/v1/messages/:message_id`: replaces the content of a card the app sent
    /// (`content` is ``LarkMessageContent/card(json:)`` or ``LarkMessageContent/cardTemplate(id:variablesJSON:)``).
    ///
    /// Treated as idempotent: setting the same content twice gives the same card, so a lost answer
    /// is ``ProviderErrorCategory/retryable``. Two different updates racing are not ordered by
    /// Lark; send one card's updates one at a time.
    public func updateCard(messageID: String, content: LarkMessageContent) async throws(LarkError) {
        try Self.validate(id: messageID, of: "message")
        guard content.messageType == "interactive" else {
            throw LarkError(category: .permanent, code: 0, message: "only a card's content can be updated, not \(content.messageType)")
        }
        struct Nothing: Decodable {}
        _ = try await authorized(
            .PATCH, path: "/open-apis/im/v1/messages/\(messageID)", body: .json(["content": content.contentJSON]), idempotent: true,
            as: Nothing.self)
    }
}
