/// The shape a credential value must have: the same rules `openapi.yaml` states for each field,
/// so a request that fits the document is never refused for its shape.
package enum CredentialRule: Sendable {
    /// `cli_` and 1 to 60 letters, digits, `_` or `-`.
    case larkAppID
    /// 1 to 256 characters, no white space.
    case secretText
    /// `ww` or `wx` and 1 to 62 letters or digits.
    case wecomCorpID
    /// An integer from 1 to 2,147,483,647.
    case wecomAgentID
    /// The callback token: 1 to 32 letters or digits.
    case wecomToken
    /// The EncodingAESKey: 43 letters or digits.
    case wecomAESKey
    /// `http(s)://host[/path]/open-apis/bot/v2/hook/<token>`, at most 600 characters.
    case larkBotWebhook
    /// A robot's key or access token: 1 to 128 letters, digits, `_` or `-`.
    case robotKey
    /// A DingTalk signing secret: `SEC` and 1 to 250 characters without white space.
    case dingtalkSecret

    /// What a value must be, for the error message.
    package var explanation: String {
        switch self {
        case .larkAppID: "must be 'cli_' and 1 to 60 letters, digits, '_' or '-'"
        case .secretText: "must be 1 to 256 characters without white space"
        case .wecomCorpID: "must be 'ww' or 'wx' and 1 to 62 letters or digits"
        case .wecomAgentID: "must be an integer from 1 to 2147483647"
        case .wecomToken: "must be 1 to 32 letters or digits"
        case .wecomAESKey: "must be 43 letters or digits"
        case .larkBotWebhook: "must be a Lark custom bot URL, http(s)://host/open-apis/bot/v2/hook/<token>"
        case .robotKey: "must be 1 to 128 letters, digits, '_' or '-'"
        case .dingtalkSecret: "must be 'SEC' and 1 to 250 characters without white space"
        }
    }

    /// Whether `value` follows the rule.
    package func accepts(_ value: String) -> Bool {
        switch self {
        case .larkAppID: value.wholeMatch(of: /cli_[0-9A-Za-z_\-]{1,60}/) != nil
        case .secretText: (1...256).contains(value.count) && value.wholeMatch(of: /\S+/) != nil
        case .wecomCorpID: value.wholeMatch(of: /w[wx][0-9A-Za-z]{1,62}/) != nil
        case .wecomAgentID: Int32(value).map { $0 >= 1 } ?? false && value.allSatisfy(\.isASCII)
        case .wecomToken: value.wholeMatch(of: /[0-9A-Za-z]{1,32}/) != nil
        case .wecomAESKey: value.wholeMatch(of: /[0-9A-Za-z]{43}/) != nil
        case .larkBotWebhook:
            value.count <= 600
                && value.wholeMatch(of: /https?:\/\/[^\s\/?#]+(\/[^\s\/?#]+)*\/open-apis\/bot\/v2\/hook\/[0-9A-Za-z_\-]{1,128}/) != nil
        case .robotKey: value.wholeMatch(of: /[0-9A-Za-z_\-]{1,128}/) != nil
        case .dingtalkSecret: value.count <= 256 && value.wholeMatch(of: /SEC\S{1,250}/) != nil
        }
    }
}
