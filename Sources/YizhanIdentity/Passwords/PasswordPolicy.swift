import YizhanCore

/// What a password must be: at least 12 characters, at most 72 bytes of UTF-8 (bcrypt ignores
/// the rest, so a longer one would be accepted with any ending), no NUL character (bcrypt stops
/// there), and not the account's email.
package enum PasswordPolicy {
    package static let minimumLength = 12
    /// bcrypt's input limit, in UTF-8 bytes.
    package static let maximumBytes = 72

    /// Throws a 422 `VALIDATION_ERROR` naming the rule `password` breaks.
    package static func validate(_ password: String, email: String) throws(YizhanError) {
        let length = password.count
        if length < minimumLength {
            throw weak("The password must be at least \(minimumLength) characters long.", rule: "min_length")
        }
        if password.utf8.count > maximumBytes {
            throw weak("The password must be at most \(maximumBytes) bytes of UTF-8 long.", rule: "max_bytes")
        }
        if password.utf8.contains(0) {
            throw weak("The password must not contain a NUL character.", rule: "no_nul")
        }
        if password.lowercased() == email.lowercased() {
            throw weak("The password must not be the email address.", rule: "not_email")
        }
    }

    private static func weak(_ message: String, rule: String) -> YizhanError {
        YizhanError(.validationError, message, details: ["field": "password", "rule": .string(rule)], status: 422)
    }
}
