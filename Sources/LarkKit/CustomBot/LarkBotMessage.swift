import Foundation
import ProviderKitSupport

/// A message for a custom group bot (webhook). Unlike `im/v1`, `content` here is an object, and a
/// card goes under `card`.
public enum LarkBotMessage: Sendable, Equatable {
    /// Text; `<at user_id="ou_…">Name</at>` and `<at user_id="all">所有人</at>` mention.
    case text(String)
    /// A rich-text post, as the JSON of its `post` object (`{"zh_cn":{"title":…,"content":[[…]]}}`).
    case post(json: String)
    /// An image uploaded by an app (`img_…`).
    case image(imageKey: String)
    /// A group card.
    case shareChat(chatID: String)
    /// A card, as its JSON.
    case card(json: String)

    /// Lark's `msg_type`.
    public var messageType: String {
        switch self {
        case .text: "text"
        case .post: "post"
        case .image: "image"
        case .shareChat: "share_chat"
        case .card: "interactive"
        }
    }

    /// The request body without the signature fields.
    func body() throws(LarkError) -> [String: Any] {
        func object(_ json: String) throws(LarkError) -> Any {
            guard let value = try? JSONSerialization.jsonObject(with: Data(json.utf8)), value is [String: Any] else {
                throw LarkError(category: .permanent, code: 0, message: "the \(messageType) JSON is not an object")
            }
            return value
        }
        switch self {
        case .text(let text): return ["msg_type": messageType, "content": ["text": text]]
        case .post(let json): return ["msg_type": messageType, "content": ["post": try object(json)]]
        case .image(let key): return ["msg_type": messageType, "content": ["image_key": key]]
        case .shareChat(let chatID): return ["msg_type": messageType, "content": ["share_chat_id": chatID]]
        case .card(let json): return ["msg_type": messageType, "card": try object(json)]
        }
    }
}
