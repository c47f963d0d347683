import DingTalkKit
import Foundation
import LarkKit
import WeComKit
import YizhanCore
import YizhanCredentials
import YizhanIdentity

/// Turns a caller's `{type, …fields}` into what a provider's kit sends, checking each field and the
/// provider's size limits first: a message that would be refused is a 400 before anything is queued.
///
/// | provider | types |
/// | --- | --- |
/// | `lark` | `text`, `post`, `image`, `file`, `card`, `share_chat` |
/// | `lark_bot` | `text`, `post`, `image`, `card`, `share_chat` |
/// | `wecom` | `text`, `markdown`, `image`, `file`, `textcard` |
/// | `wecom_robot` | `text`, `markdown` |
/// | `dingtalk_robot` | `text`, `markdown` |
package enum MessageContentRules {
    /// The types each provider takes.
    package static func types(of provider: AppProvider) -> [String] {
        switch provider {
        case .lark, .larkMarketplace: ["text", "post", "image", "file", "card", "share_chat"]
        case .larkBot: ["text", "post", "image", "card", "share_chat"]
        case .wecom: ["text", "markdown", "image", "file", "textcard"]
        case .wecomRobot, .dingtalkRobot: ["text", "markdown"]
        }
    }

    /// Lark's limits: a text's request body at most 150 KB, a card or post at most 30 KB; a custom
    /// bot's whole body at most 20 KB. Content is sent as a JSON string inside the JSON body, so
    /// quotes and backslashes count twice: the limits here leave room for that.
    static let larkTextBytes = 100 * 1024
    static let larkCardBytes = 28 * 1024
    static let larkBotBytes = 18 * 1024
    /// WeCom's: an app's text and markdown at most 2,048 bytes; a robot's markdown 4,096.
    static let wecomTextBytes = 2048
    static let wecomRobotMarkdownBytes = 4096
    /// DingTalk's robots: 20,000 characters.
    static let dingTalkCharacters = 20_000

    /// The message's type, checked against the provider.
    static func type(of content: [String: JSONValue], provider: AppProvider) throws(YizhanError) -> String {
        guard case .string(let type)? = content["type"] else { throw InputRules.invalid("message.type", "is required (a string)") }
        guard types(of: provider).contains(type) else {
            throw YizhanError(
                .unsupportedMessageType,
                "A \(provider.rawValue) app cannot send a '\(type)' message; it sends \(types(of: provider).joined(separator: ", ")).",
                details: ["field": .string("message.type")])
        }
        let known = Set(["type"] + fields(of: type, provider: provider))
        if let unknown = content.keys.sorted().first(where: { !known.contains($0) }) {
            throw InputRules.invalid("message.\(unknown)", "is not a field of a '\(type)' message")
        }
        return type
    }

    static func fields(of type: String, provider: AppProvider) -> [String] {
        switch type {
        case "text": ["text"]
        case "markdown": provider == .dingtalkRobot ? ["markdown", "title"] : ["markdown"]
        case "post": ["post"]
        case "card": ["card"]
        case "image": provider == .wecom ? ["media_id"] : ["image_key"]
        case "file": provider == .wecom ? ["media_id"] : ["file_key"]
        case "share_chat": ["chat_id"]
        case "textcard": ["title", "description", "url", "button_text"]
        default: []
        }
    }

    // MARK: Per provider

    package static func lark(_ content: [String: JSONValue]) throws(YizhanError) -> LarkMessageContent {
        switch try type(of: content, provider: .lark) {
        case "text": .text(try string("text", in: content, maxBytes: larkTextBytes))
        case "post": .post(json: try object("post", in: content, maxBytes: larkCardBytes))
        case "card": .card(json: try object("card", in: content, maxBytes: larkCardBytes))
        case "image": .image(imageKey: try string("image_key", in: content, maxBytes: 256))
        case "file": .file(fileKey: try string("file_key", in: content, maxBytes: 256))
        default: .shareChat(chatID: try string("chat_id", in: content, maxBytes: 256))
        }
    }

    package static func larkBot(_ content: [String: JSONValue]) throws(YizhanError) -> LarkBotMessage {
        switch try type(of: content, provider: .larkBot) {
        case "text": .text(try string("text", in: content, maxBytes: larkBotBytes))
        case "post": .post(json: try object("post", in: content, maxBytes: larkBotBytes))
        case "card": .card(json: try object("card", in: content, maxBytes: larkBotBytes))
        case "image": .image(imageKey: try string("image_key", in: content, maxBytes: 256))
        default: .shareChat(chatID: try string("chat_id", in: content, maxBytes: 256))
        }
    }

    package static func wecom(_ content: [String: JSONValue]) throws(YizhanError) -> WeComMessageContent {
        switch try type(of: content, provider: .wecom) {
        case "text": .text(try string("text", in: content, maxBytes: wecomTextBytes))
        case "markdown": .markdown(try string("markdown", in: content, maxBytes: wecomTextBytes))
        case "image": .image(mediaID: try string("media_id", in: content, maxBytes: 256))
        case "file": .file(mediaID: try string("media_id", in: content, maxBytes: 256))
        default:
            .textCard(
                title: try string("title", in: content, maxBytes: 128), description: try string("description", in: content, maxBytes: 512),
                url: try url("url", in: content), buttonText: try optionalString("button_text", in: content, maxBytes: 4 * 3))
        }
    }

    package static func wecomRobot(_ content: [String: JSONValue]) throws(YizhanError) -> WeComRobotMessage {
        switch try type(of: content, provider: .wecomRobot) {
        case "text": .text(try string("text", in: content, maxBytes: wecomTextBytes))
        default: .markdown(try string("markdown", in: content, maxBytes: wecomRobotMarkdownBytes))
        }
    }

    package static func dingTalkRobot(_ content: [String: JSONValue]) throws(YizhanError) -> DingTalkMessage {
        switch try type(of: content, provider: .dingtalkRobot) {
        case "text": .text(try string("text", in: content, maxCharacters: dingTalkCharacters))
        default:
            .markdown(
                title: try string("title", in: content, maxCharacters: 100),
                text: try string("markdown", in: content, maxCharacters: dingTalkCharacters))
        }
    }

    /// Checks `content` for `provider` (what accepting a message does).
    package static func check(_ content: [String: JSONValue], provider: AppProvider) throws(YizhanError) {
        switch provider {
        case .lark, .larkMarketplace: _ = try lark(content)
        case .larkBot: _ = try larkBot(content)
        case .wecom: _ = try wecom(content)
        case .wecomRobot: _ = try wecomRobot(content)
        case .dingtalkRobot: _ = try dingTalkRobot(content)
        }
    }

    // MARK: Fields

    static func string(_ name: String, in content: [String: JSONValue], maxBytes: Int) throws(YizhanError) -> String {
        guard let value = try optionalString(name, in: content, maxBytes: maxBytes) else {
            throw InputRules.invalid("message.\(name)", "is required")
        }
        return value
    }

    static func string(_ name: String, in content: [String: JSONValue], maxCharacters: Int) throws(YizhanError) -> String {
        guard case .string(let value)? = content[name], !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw InputRules.invalid("message.\(name)", "is required (a non-empty string)")
        }
        guard value.count <= maxCharacters else { throw InputRules.invalid("message.\(name)", "is longer than \(maxCharacters) characters") }
        return value
    }

    static func optionalString(_ name: String, in content: [String: JSONValue], maxBytes: Int) throws(YizhanError) -> String? {
        switch content[name] {
        case nil, .null?: return nil
        case .string(let value)?:
            guard !value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
                throw InputRules.invalid("message.\(name)", "must not be empty")
            }
            guard value.utf8.count <= maxBytes else {
                throw InputRules.invalid("message.\(name)", "is longer than the provider takes (\(maxBytes) bytes)")
            }
            return value
        default: throw InputRules.invalid("message.\(name)", "must be a string")
        }
    }

    static func object(_ name: String, in content: [String: JSONValue], maxBytes: Int) throws(YizhanError) -> String {
        guard case .object(let value)? = content[name], !value.isEmpty else {
            throw InputRules.invalid("message.\(name)", "is required (a JSON object)")
        }
        let json = MessageJSON.text(JSONValue.object(value))
        guard json.utf8.count <= maxBytes else {
            throw InputRules.invalid("message.\(name)", "is larger than the provider takes (\(maxBytes) bytes)")
        }
        return json
    }

    static func url(_ name: String, in content: [String: JSONValue]) throws(YizhanError) -> String {
        let value = try string(name, in: content, maxBytes: 2048)
        guard let parts = URLComponents(string: value), ["http", "https"].contains(parts.scheme?.lowercased() ?? ""), parts.host != nil else {
            throw InputRules.invalid("message.\(name)", "must be an http(s) URL")
        }
        return value
    }
}
