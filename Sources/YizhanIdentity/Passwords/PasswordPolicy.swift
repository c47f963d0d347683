import YizhanCore

/// What a password must be: at least 12 characters, at most 256, and not the account's email.
public enum PasswordPolicy {
    public static let minimumLength = 12
    public static let maximumLength = 256

    /// Throws a 422 `VALIDATION_ERROR` naming the rule `password` breaks.
    public static func validate(_ password: String, email: String) throws(YizhanError) {
        let length = password.count
        if length < minimumLength {
            throw weak("The password must be at least \(minimumLength) characters long.", rule: "min_length")
        }
        if length > maximumLength {
            throw weak("The password must be at most \(maximumLength) characters long.", rule: "max_length")
        }
        if password.lowercased() == email.lowercased() {
            throw weak("The password must not be the email address.", rule: "not_email")
        }
    }

    private static func weak(_ message: String, rule: String) -> YizhanError {
        YizhanError(.validationError, message, details: ["field": "password", "rule": .string(rule)], status: 422)
    }
}
