import Foundation

/// The `event` of a `card.action.trigger` callback (schema 2.0): who clicked what on which card.
///
/// Fields as lark-oapi's `P2CardActionTriggerData`: `operator`, `token`, `action`, `host`,
/// `delivery_type`, `context`. Answer with a ``LarkCardActionResponse``.
public struct LarkCardAction: Sendable, Decodable, Equatable {
    /// Who acted. The ids are flat strings here, unlike a message event's nested `sender_id`.
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

    /// What was done: the component, its value, and what the user entered or picked.
    public struct Action: Sendable, Decodable, Equatable {
        /// The component's tag: `button`, `select_static`, `multi_select_static`, `input`,
        /// `checker`, `date_picker`, `form` …
        public var tag: String?
        /// The component's `name` (form components and buttons inside a form).
        public var name: String?
        /// The option picked in a single-select menu.
        public var option: String?
        /// The options picked in a multi-select menu.
        public var options: [String]?
        /// Whether a `checker` is now checked.
        public var checked: Bool?
        /// The user's time zone, for date and time pickers (e.g. `Asia/Shanghai`).
        public var timezone: String?
        /// What was typed into an `input`.
        public var inputValue: String?
        /// `action.value` (the developer's payload on the component) as JSON: an object, or a
        /// string on older cards. lark-oapi refuses a string here; we accept both.
        public var valueJSON: String?
        /// `action.form_value` (every field of a submitted form, by name) as a JSON object.
        public var formValueJSON: String?

        enum CodingKeys: String, CodingKey {
            case tag, name, option, options, checked, timezone, value
            case inputValue = "input_value"
            case formValue = "form_value"
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            tag = try? container.decodeIfPresent(String.self, forKey: .tag)
            name = try? container.decodeIfPresent(String.self, forKey: .name)
            option = try? container.decodeIfPresent(String.self, forKey: .option)
            options = try? container.decodeIfPresent([String].self, forKey: .options)
            checked = try? container.decodeIfPresent(Bool.self, forKey: .checked)
            timezone = try? container.decodeIfPresent(String.self, forKey: .timezone)
            inputValue = try? container.decodeIfPresent(String.self, forKey: .inputValue)
            valueJSON = (try? container.decodeIfPresent(JSONFragment.self, forKey: .value))?.json
            formValueJSON = (try? container.decodeIfPresent(JSONFragment.self, forKey: .formValue))?.json
        }

        /// `action.value` decoded as `T`.
        public func value<T: Decodable>(as type: T.Type) throws -> T {
            try JSONDecoder().decode(type, from: Data((valueJSON ?? "null").utf8))
        }

        /// `action.form_value` decoded as `T` (e.g. a struct with one member per form field).
        public func formValue<T: Decodable>(as type: T.Type) throws -> T {
            try JSONDecoder().decode(type, from: Data((formValueJSON ?? "null").utf8))
        }
    }

    /// Where the card is.
    public struct Context: Sendable, Decodable, Equatable {
        /// The link, for a card in a link preview.
        public var url: String?
        /// The link preview's token.
        public var previewToken: String?
        public var openMessageID: String?
        public var openChatID: String?
        enum CodingKeys: String, CodingKey {
            case url
            case previewToken = "preview_token"
            case openMessageID = "open_message_id"
            case openChatID = "open_chat_id"
        }
    }

    public var `operator`: Operator?
    /// The card update token (`c-…`), for updating the card later.
    public var token: String?
    public var action: Action
    /// Where the card was shown: `im_message`, `im_top_notice`, a link preview …
    public var host: String?
    /// How the card was delivered (e.g. `url_preview` for a link preview).
    public var deliveryType: String?
    public var context: Context?

    enum CodingKeys: String, CodingKey {
        case `operator`, token, action, host, context
        case deliveryType = "delivery_type"
    }
}
