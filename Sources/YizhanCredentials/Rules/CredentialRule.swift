import Foundation

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
        case .larkAppID: Self.matches(value, #"cli_[0-9A-Za-z_\-]{1,60}"#)
        case .secretText: (1...256).contains(value.unicodeScalars.count) && Self.matches(value, #"\S+"#)
        case .wecomCorpID: Self.matches(value, #"w[wx][0-9A-Za-z]{1,62}"#)
        case .wecomAgentID: Int32(value).map { $0 >= 1 } ?? false && value.allSatisfy(\.isASCII)
        case .wecomToken: Self.matches(value, #"[0-9A-Za-z]{1,32}"#)
        case .wecomAESKey: Self.matches(value, #"[0-9A-Za-z]{43}"#)
        case .larkBotWebhook:
            value.unicodeScalars.count <= 600
                && Self.matches(value, #"https?://[^\s/?#]+(/[^\s/?#]+)*/open-apis/bot/v2/hook/[0-9A-Za-z_\-]{1,128}"#)
        case .robotKey: Self.matches(value, #"[0-9A-Za-z_\-]{1,128}"#)
        case .dingtalkSecret: value.unicodeScalars.count <= 256 && Self.matches(value, #"SEC\S{1,250}"#)
        }
    }

    /// JSON Schema's (ECMAScript's) white space, which `\s` means in openapi.yaml's patterns:
    /// narrower than Swift's (U+0085 and U+001C–U+001F are not white space there).
    static let ecmaSpaceSet = CharacterSet(charactersIn: "\t\n\u{0B}\u{0C}\r \u{A0}\u{1680}\u{2028}\u{2029}\u{202F}\u{205F}\u{3000}\u{FEFF}")
        .union(CharacterSet(charactersIn: Unicode.Scalar(0x2000)!...Unicode.Scalar(0x200A)!))

    /// Whether all of `value` matches `pattern` as openapi.yaml states it: by code point (not by
    /// grapheme cluster, so a combining mark after `/` does not hide the `/`), with `\s` in
    /// ECMAScript's sense. Every pattern here refuses white space anywhere, so that is checked
    /// first by ECMAScript's set and the pattern then runs without `\s`.
    static func matches(_ value: String, _ pattern: String) -> Bool {
        guard !value.unicodeScalars.contains(where: ecmaSpaceSet.contains) else { return false }
        let withoutSpace = pattern.replacingOccurrences(of: #"[^\s"#, with: "[^").replacingOccurrences(of: #"\S"#, with: "(?s:.)")
        guard let regex = try? Regex(withoutSpace) else { return false }
        return value.wholeMatch(of: regex.matchingSemantics(.unicodeScalar)) != nil
    }
}
