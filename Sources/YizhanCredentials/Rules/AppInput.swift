import Crypto
import Foundation
import YizhanCore
import YizhanIdentity

/// Turns a caller's registration into what is stored: the checked name and base URL, the
/// identifiers (shown), the secrets (sealed) and the identity key (unique per tenant and
/// provider). Every refusal is a `VALIDATION_ERROR` naming the field.
package enum AppInput {
    /// What a checked registration stores.
    struct Checked {
        var name: String
        var baseURL: String
        var identifiers: [String: String]
        var secrets: [String: String]
        var identityKey: String
    }

    /// A base URL: `http(s)://host[/path]`, no query or fragment, 8 to 500 characters; kept
    /// without a trailing `/`.
    package static func baseURL(_ given: String, field: String = "base_url") throws(YizhanError) -> String {
        let raw = trimmed(given)
        guard (8...500).contains(raw.unicodeScalars.count), CredentialRule.matches(raw, #"https?://[^\s/?#]+(/[^\s?#]*)?"#) else {
            throw InputRules.invalid(field, "must be an http(s) URL without query or fragment, at most 500 characters")
        }
        // A well-formed URL whose host is not plain (user info, a backslash) is refused by rule.
        guard let parts = URLComponents(string: raw), let host = parts.host, !host.isEmpty, parts.user == nil,
            parts.password == nil, !raw.contains("\\")
        else {
            throw InputRules.invalid(field, "must name its host plainly, without user info", status: 422)
        }
        var url = raw
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    /// Checks a registration for `provider`; its base URL (or a Lark bot's webhook origin) must be
    /// one `egress` allows.
    static func check(
        name: String, provider: AppProvider, baseURL: String?, credentials: [String: String], egress: ProviderEgressPolicy
    ) throws(YizhanError) -> Checked {
        let name = try InputRules.name(name)
        let fields = provider.fields
        let known = Set(fields.map(\.name))
        if let unknown = credentials.keys.sorted().first(where: { !known.contains($0) }) {
            throw InputRules.invalid("credentials.\(unknown)", "is not a credential of a \(provider.rawValue) app")
        }
        var identifiers: [String: String] = [:]
        var secrets: [String: String] = [:]
        for field in fields {
            // A value pasted with a line break or spaces around it means the value (none of the
            // rules allows white space inside).
            guard let value = credentials[field.name].map(Self.trimmed) else {
                if field.isRequired { throw InputRules.invalid("credentials.\(field.name)", "is required for a \(provider.rawValue) app") }
                continue
            }
            guard field.rule.accepts(value) else { throw InputRules.invalid("credentials.\(field.name)", field.rule.explanation) }
            if field.isSecret { secrets[field.name] = value } else { identifiers[field.name] = value }
        }
        let origin: String
        switch (provider, baseURL) {
        case (.larkBot, .some):
            throw InputRules.invalid("base_url", "is not taken by a Lark bot: its webhook URL names the host")
        case (.larkBot, nil):
            origin = try Self.baseURL(Self.origin(of: secrets["webhook_url"] ?? ""), field: "credentials.webhook_url")
            identifiers["webhook_host"] = URLComponents(string: origin)?.host ?? ""
        case (_, let given?):
            origin = try Self.baseURL(given)
        case (_, nil):
            origin = provider.defaultBaseURL ?? ""
        }
        try egress.check(origin, provider: provider, field: provider == .larkBot ? "credentials.webhook_url" : "base_url")
        let identityKey: String
        switch provider {
        case .lark, .larkMarketplace: identityKey = identifiers["app_id"] ?? ""
        case .wecom: identityKey = (identifiers["corp_id"] ?? "") + ":" + (identifiers["agent_id"] ?? "")
        case .larkBot, .wecomRobot, .dingtalkRobot:
            let secret = provider.identifyingSecret.flatMap { secrets[$0] } ?? ""
            identityKey = Self.sha256(provider == .larkBot ? Self.hookToken(secret) : secret)
            identifiers["fingerprint"] = String(identityKey.prefix(8))
        }
        return Checked(name: name, baseURL: origin, identifiers: identifiers, secrets: secrets, identityKey: identityKey)
    }

    /// Secrets replacing some of an app's, checked against its provider's fields.
    /// - Throws: 422 for a name the provider has no secret of (the request's shape was right).
    static func replacements(_ raw: [String: String], provider: AppProvider) throws(YizhanError) -> [String: String] {
        let secrets = raw.mapValues(Self.trimmed)
        let fields = Dictionary(uniqueKeysWithValues: provider.fields.filter(\.isSecret).map { ($0.name, $0) })
        for (name, value) in secrets.sorted(by: { $0.key < $1.key }) {
            guard let field = fields[name] else {
                let names = fields.keys.sorted().joined(separator: ", ")
                throw InputRules.invalid("credentials.\(name)", "is not a secret of a \(provider.rawValue) app (\(names))", status: 422)
            }
            guard field.rule.accepts(value) else {
                throw InputRules.invalid("credentials.\(name)", field.rule.explanation, status: 422)
            }
        }
        if let identifying = provider.identifyingSecret, secrets[identifying] != nil {
            throw InputRules.invalid("credentials.\(identifying)", "cannot change: it is the robot itself; register a new one", status: 422)
        }
        return secrets
    }

    /// Moving an app to another `base_url` sends its secrets there on the next call, so the move
    /// must come with every required secret of the provider, given again in the same change: a
    /// caller who may edit apps but does not know their secrets cannot redirect them.
    static func checkMove(of provider: AppProvider, secrets: [String: String]) throws(YizhanError) {
        let required = provider.fields.filter { $0.isSecret && $0.isRequired && $0.name != provider.identifyingSecret }.map(\.name)
        if provider == .larkBot {
            throw InputRules.invalid("base_url", "is not taken by a Lark bot: its webhook URL names the host", status: 422)
        }
        if let missing = required.first(where: { secrets[$0] == nil }) {
            throw InputRules.invalid(
                "credentials.\(missing)", "must be given again to move the app to another base_url", status: 422)
        }
        if provider.identifyingSecret != nil {
            throw InputRules.invalid("base_url", "cannot change for a robot: its key is sent there; register it again", status: 422)
        }
    }

    static func trimmed(_ value: String) -> String { value.trimmingCharacters(in: CredentialRule.ecmaSpaceSet) }

    static func origin(of url: String) -> String {
        guard let range = url.range(of: "/open-apis/bot/v2/hook/") else { return url }
        return String(url[..<range.lowerBound])
    }

    /// A Lark custom bot's hook token, the last part of its webhook URL.
    package static func hookToken(_ url: String) -> String {
        url.components(separatedBy: "/open-apis/bot/v2/hook/").last ?? url
    }

    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
