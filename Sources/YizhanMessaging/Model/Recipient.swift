import Foundation

/// One recipient of a message, as the caller named it, and what became of it.
package struct Recipient: Sendable, Equatable {
    /// How the caller names it: `open_id`, `user_id`, `union_id`, `email`, `chat_id` (Lark);
    /// `userid`, `party`, `tag`, `email`, `mobile` (WeCom).
    package var kind: String
    /// The id as the caller gave it.
    package var address: String
    package var status: RecipientStatus = .pending
    /// The provider's code for a failure.
    package var providerCode: Int?
    /// Why it failed or is unknown.
    package var reason: String?
    /// The provider's id of the message it got (Lark `message_id`).
    package var providerMessageID: String?
    /// When a send to it was first started; a send started and not settled may have reached them.
    package var attemptedAt: Date?
    /// A WeCom email's or mobile's userid, once looked up (the retry sends the same request).
    package var resolvedID: String?

    package init(kind: String, address: String) {
        self.kind = kind
        self.address = address
    }
}
