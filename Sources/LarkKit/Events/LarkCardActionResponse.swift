import Foundation

/// The synchronous answer to a card action, in lark-oapi's `P2CardActionTriggerResponse` shape:
/// an optional toast and an optional new card.
///
/// ```swift
/// let answer = LarkCardActionResponse(
///     toast: .init(.success, "Approved", i18n: ["zh_cn": "已批准", "en_us": "Approved"]),
///     card: .template(id: "ctp_AAxx", variablesJSON: #"{"state":"approved"}"#))
/// return answer.body  // {"card":{"data":{"template_id":…,"template_variable":{…}},"type":"template"},"toast":{…}}
/// ```
public struct LarkCardActionResponse: Sendable, Equatable {
    /// A toast's look.
    public enum ToastType: String, Sendable { case info, success, error, warning }

    /// A toast shown to the user who acted: `{"type", "content", "i18n": {locale: text}}`.
    public struct Toast: Sendable, Equatable {
        public var type: ToastType
        public var content: String
        /// The text by locale (`zh_cn`, `en_us`, `ja_jp` …), shown instead of `content` where it matches.
        public var i18n: [String: String]?

        public init(_ type: ToastType, _ content: String, i18n: [String: String]? = nil) {
            self.type = type
            self.content = content
            self.i18n = i18n
        }
    }

    /// A card that replaces the one acted on.
    public enum Card: Sendable, Equatable {
        /// A card's JSON: `{"type": "raw", "data": <card>}`.
        case raw(json: String)
        /// A card template and its variables (a JSON object):
        /// `{"type": "template", "data": {"template_id", "template_variable"}}`.
        case template(id: String, variablesJSON: String)
    }

    public var toast: Toast?
    public var card: Card?

    public init(toast: Toast? = nil, card: Card? = nil) {
        self.toast = toast
        self.card = card
    }

    /// The body: `{"toast": {…}, "card": {…}}` with what is set, keys sorted, or `{}` for no change.
    /// A card whose JSON does not parse is left out rather than sent broken.
    public var body: [UInt8] {
        var object: [String: Any] = [:]
        if let toast {
            var fields: [String: Any] = ["type": toast.type.rawValue, "content": toast.content]
            if let i18n = toast.i18n { fields["i18n"] = i18n }
            object["toast"] = fields
        }
        switch card {
        case .raw(let json)?:
            if let data = Self.object(json) { object["card"] = ["type": "raw", "data": data] }
        case .template(let id, let variablesJSON)?:
            var data: [String: Any] = ["template_id": id]
            if let variables = Self.object(variablesJSON) { data["template_variable"] = variables }
            object["card"] = ["type": "template", "data": data]
        case nil:
            break
        }
        return Array((try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data("{}".utf8))
    }

    /// The answer to a legacy card callback (``LarkCardCallbackReceiver``): the new card's JSON
    /// itself for a ``Card/raw(json:)`` card, else `{}` (no change). The legacy callback documents
    /// no toast and no template answer (REFERENCE A6.2), so those are not sent there.
    public var legacyBody: [UInt8] {
        guard case .raw(let json)? = card, let card = Self.object(json),
            let data = try? JSONSerialization.data(withJSONObject: card, options: [.sortedKeys, .withoutEscapingSlashes])
        else { return Array("{}".utf8) }
        return Array(data)
    }

    private static func object(_ json: String) -> Any? {
        try? JSONSerialization.jsonObject(with: Data(json.utf8))
    }
}
