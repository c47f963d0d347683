import Foundation

/// The `event` of a `card.action.trigger` callback (schema 2.0): who clicked what on which card.
public struct LarkCardAction: Sendable, Decodable, Equatable {
    public struct Operator: Sendable, Decodable, Equatable {
        public var openID: String?
        public var userID: String?
        public var unionID: String?
        public var tenantKey: String?
        enum CodingKeys: String, CodingKey {
            case openID = "open_id"
            case userID = "user_id"
            case unionID = "union_id"
            case tenantKey = "tenant_key"
        }
    }
    public struct Action: Sendable, Decodable, Equatable {
        public var tag: String?
        public var name: String?
        public var option: String?
        public var inputValue: String?
        /// `action.value` re-serialised as JSON (an object or a string).
        public var valueJSON: String?
        enum CodingKeys: String, CodingKey {
            case tag, name, option, value
            case inputValue = "input_value"
        }
        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            tag = try container.decodeIfPresent(String.self, forKey: .tag)
            name = try container.decodeIfPresent(String.self, forKey: .name)
            option = try container.decodeIfPresent(String.self, forKey: .option)
            inputValue = try container.decodeIfPresent(String.self, forKey: .inputValue)
            if let value = try? container.decode(JSONFragment.self, forKey: .value) { valueJSON = value.json }
        }
    }
    public struct Context: Sendable, Decodable, Equatable {
        public var openMessageID: String?
        public var openChatID: String?
        enum CodingKeys: String, CodingKey {
            case openMessageID = "open_message_id"
            case openChatID = "open_chat_id"
        }
    }

    public var `operator`: Operator?
    /// The card update token (`c-…`), for updating the card later.
    public var token: String?
    public var action: Action
    public var context: Context?
}

/// The synchronous answer to a card action: an optional toast and an optional new card.
public struct LarkCardActionResponse: Sendable, Equatable {
    public enum ToastType: String, Sendable { case info, success, error, warning }

    public var toast: (type: ToastType, content: String)?
    /// A replacement card, as its JSON.
    public var cardJSON: String?

    public init(toast: (type: ToastType, content: String)? = nil, cardJSON: String? = nil) {
        self.toast = toast
        self.cardJSON = cardJSON
    }

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.toast?.type == rhs.toast?.type && lhs.toast?.content == rhs.toast?.content && lhs.cardJSON == rhs.cardJSON
    }

    /// The body: `{"toast":{"type":…,"content":…},"card":{"type":"raw","data":{…}}}`, or `{}` for no change.
    public var body: [UInt8] {
        var object: [String: Any] = [:]
        if let toast { object["toast"] = ["type": toast.type.rawValue, "content": toast.content] }
        if let cardJSON, let card = try? JSONSerialization.jsonObject(with: Data(cardJSON.utf8)) {
            object["card"] = ["type": "raw", "data": card]
        }
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8))
    }
}

/// Any JSON value, kept as its JSON text.
struct JSONFragment: Decodable {
    let json: String
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        let value: Any
        if let string = try? container.decode(String.self) { value = string }
        else if let object = try? container.decode([String: JSONFragment].self) {
            value = object.mapValues { (try? JSONSerialization.jsonObject(with: Data($0.json.utf8), options: .fragmentsAllowed)) ?? NSNull() }
        } else if let number = try? container.decode(Double.self) { value = number }
        else if let bool = try? container.decode(Bool.self) { value = bool }
        else { value = NSNull() }
        json = String(decoding: (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys])) ?? Data("null".utf8), as: UTF8.self)
    }
}
