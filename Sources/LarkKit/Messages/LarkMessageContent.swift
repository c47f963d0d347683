import Foundation

/// The content of a Lark message, so callers never hand-write the JSON string.
///
/// ```swift
/// let content = LarkMessageContent.text("Deploy finished ✅")
/// try await client.sendMessage(to: .openID("ou_…"), content: content)
/// ```
public enum LarkMessageContent: Sendable, Equatable {
    /// Plain text; `<at user_id="ou_…">Name</at>` mentions are allowed in it.
    case text(String)
    /// An uploaded image (`img_…`).
    case image(imageKey: String)
    /// An uploaded file (`file_…`).
    case file(fileKey: String)
    /// A voice message: an uploaded `opus` file (``LarkFileType/opus``).
    case audio(fileKey: String)
    /// A video: an uploaded `mp4` file (``LarkFileType/mp4``) and an uploaded image as its cover.
    case media(fileKey: String, imageKey: String)
    /// A sticker, by the `file_key` of a sticker message the app received (stickers cannot be uploaded).
    case sticker(fileKey: String)
    /// A card, as its JSON.
    case card(json: String)
    /// A card template and its variables (as a JSON object).
    case cardTemplate(id: String, variablesJSON: String)
    /// A group card.
    case shareChat(chatID: String)
    /// A user card.
    case shareUser(userID: String)
    /// A rich-text post, as its JSON (`{"zh_cn":{"title":…,"content":[[…]]}}`).
    case post(json: String)

    /// Lark's `msg_type`.
    public var messageType: String {
        switch self {
        case .text: "text"
        case .image: "image"
        case .file: "file"
        case .audio: "audio"
        case .media: "media"
        case .sticker: "sticker"
        case .card, .cardTemplate: "interactive"
        case .shareChat: "share_chat"
        case .shareUser: "share_user"
        case .post: "post"
        }
    }

    /// The `content` string: a JSON object, serialised.
    public var contentJSON: String {
        switch self {
        case .text(let text): Self.object(["text": text])
        case .image(let key): Self.object(["image_key": key])
        case .file(let key), .audio(let key), .sticker(let key): Self.object(["file_key": key])
        case .media(let fileKey, let imageKey): Self.object(["file_key": fileKey, "image_key": imageKey])
        case .card(let json), .post(let json): json
        case .cardTemplate(let id, let variables):
            #"{"type":"template","data":{"template_id":\#(Self.quoted(id)),"template_variable":\#(variables)}}"#
        case .shareChat(let chatID): Self.object(["chat_id": chatID])
        case .shareUser(let userID): Self.object(["user_id": userID])
        }
    }

    private static func object(_ fields: [String: String]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: fields, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    private static func quoted(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data("[\"\"]".utf8)
        return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }
}

/// Who a message goes to (`receive_id_type` and `receive_id`).
public enum LarkRecipient: Sendable, Equatable {
    case openID(String)
    case userID(String)
    case unionID(String)
    case email(String)
    case chatID(String)

    var type: String {
        switch self {
        case .openID: "open_id"
        case .userID: "user_id"
        case .unionID: "union_id"
        case .email: "email"
        case .chatID: "chat_id"
        }
    }

    var id: String {
        switch self {
        case .openID(let id), .userID(let id), .unionID(let id), .email(let id), .chatID(let id): id
        }
    }
}

/// A message Lark created.
public struct LarkMessage: Sendable, Equatable, Decodable {
    public var messageID: String
    public var chatID: String?
    public var messageType: String?
    public var createTime: String?

    enum CodingKeys: String, CodingKey {
        case messageID = "message_id"
        case chatID = "chat_id"
        case messageType = "msg_type"
        case createTime = "create_time"
    }
}
