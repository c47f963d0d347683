/// One field of an app's credentials: its name, the rule its value follows, and whether it is a
/// secret (sealed, never shown) or an identifier (shown, part of what makes the app unique).
package struct CredentialField: Sendable {
    package var name: String
    package var rule: CredentialRule
    package var isSecret: Bool
    package var isRequired: Bool

    init(_ name: String, _ rule: CredentialRule, secret: Bool = true, required: Bool = true) {
        self.name = name
        self.rule = rule
        self.isSecret = secret
        self.isRequired = required
    }
}
