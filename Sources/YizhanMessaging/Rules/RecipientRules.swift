import YizhanCore
import YizhanCredentials
import YizhanIdentity

/// Which recipients each provider takes, and their form.
package enum RecipientRules {
    /// What a robot's or bot's message goes to: its own group.
    package static let groupKind = "group"
    /// The most recipients of one message.
    package static let maximum = 1000

    /// The recipient types `provider` takes (robots and bots: none — they post to their group).
    package static func kinds(of provider: AppProvider) -> [String] {
        switch provider {
        case .lark, .larkMarketplace: ["open_id", "user_id", "union_id", "email", "chat_id"]
        case .wecom: ["userid", "party", "tag", "email", "mobile"]
        case .larkBot, .wecomRobot, .dingtalkRobot: []
        }
    }

    /// Checks `recipients` for `provider`.
    static func check(_ recipients: [(kind: String, address: String)], provider: AppProvider) throws(YizhanError) -> [Recipient] {
        let kinds = kinds(of: provider)
        if kinds.isEmpty {
            guard recipients.isEmpty else {
                throw InputRules.invalid("recipients", "must be empty: a \(provider.rawValue) posts to its own group")
            }
            // The group is the one recipient, so its outcome is kept like anyone's.
            return [Recipient(kind: groupKind, address: groupKind)]
        }
        guard (1...maximum).contains(recipients.count) else {
            throw InputRules.invalid("recipients", "must name 1 to \(maximum) recipients")
        }
        var seen = Set<String>()
        var checked: [Recipient] = []
        for (index, recipient) in recipients.enumerated() {
            guard kinds.contains(recipient.kind) else {
                throw InputRules.invalid("recipients[\(index)].type", "must be one of \(kinds.joined(separator: ", ")) for a \(provider.rawValue) app")
            }
            let address = recipient.address
            guard (1...254).contains(address.count), !address.contains(where: { $0.isWhitespace || $0.isNewline || $0.asciiValue.map { $0 < 0x20 } == true }) else {
                throw InputRules.invalid("recipients[\(index)].id", "must be 1 to 254 characters without spaces")
            }
            if provider == .wecom, ["userid", "party", "tag"].contains(recipient.kind), address.contains("|") {
                throw InputRules.invalid("recipients[\(index)].id", "must not contain '|' (name each recipient once)")
            }
            // One mailbox whatever its case: two spellings would be two sends with two dedupe keys.
            let identity = recipient.kind == "email" ? address.lowercased() : address
            guard seen.insert(recipient.kind + ":" + identity).inserted else {
                throw InputRules.invalid("recipients[\(index)]", "names the same recipient twice")
            }
            checked.append(Recipient(kind: recipient.kind, address: address))
        }
        return checked
    }
}
