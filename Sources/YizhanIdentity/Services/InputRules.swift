import Foundation
import YizhanCore

/// Checks of caller input shared by the identity services (and, for names, the other domain
/// modules); each failure is a `VALIDATION_ERROR` naming the field.
package enum InputRules {
    /// A trimmed, lower-cased email address of sane shape.
    package static func email(_ raw: String, field: String = "email") throws(YizhanError) -> String {
        let email = raw.trimmingCharacters(in: .whitespaces).lowercased()
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        guard email.utf8.count <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
            !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !email.contains(where: \.isWhitespace),
            !hasControlCharacters(email)
        else {
            throw invalid(field, "must be an email address")
        }
        return email
    }

    /// A trimmed name of 1 to `maximum` characters.
    package static func name(_ raw: String, field: String = "name", maximum: Int = 200) throws(YizhanError) -> String {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
        guard (1...maximum).contains(name.count) else { throw invalid(field, "must be 1 to \(maximum) characters") }
        guard !hasControlCharacters(name) else { throw invalid(field, "must not contain control characters", status: 422) }
        return name
    }

    /// A code or role name: 2 to 63 of `a-z`, `0-9`, `-` and `_`, starting with a letter or digit.
    static func slug(_ raw: String, field: String) throws(YizhanError) -> String {
        let slug = raw.trimmingCharacters(in: .whitespaces).lowercased()
        let allowed = slug.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" }
        guard (2...63).contains(slug.count), allowed, let first = slug.first, first.isLetter || first.isNumber else {
            throw invalid(field, "must be 2 to 63 of a-z, 0-9, '-' and '_', starting with a letter or digit")
        }
        return slug
    }

    /// Permission names, each one Yizhan knows.
    static func permissions(_ names: [String], field: String = "permissions") throws(YizhanError) -> Set<Permission> {
        var result: Set<Permission> = []
        for name in names {
            guard let permission = Permission(rawValue: name) else {
                throw YizhanError(
                    .validationError, "Unknown permission '\(name)'.", details: ["field": .string(field), "value": .string(name)])
            }
            result.insert(permission)
        }
        return result
    }

    /// A quota: absent, or a non-negative integer.
    static func quota(_ value: Int?, field: String) throws(YizhanError) -> Int? {
        if let value, value < 0 { throw invalid(field, "must not be negative") }
        return value
    }

    /// Whether `text` holds a control character (NUL, escapes, line breaks): none belongs in an
    /// identifier or a name, and PostgreSQL cannot store NUL at all.
    static func hasControlCharacters(_ text: String) -> Bool {
        text.unicodeScalars.contains { $0.properties.generalCategory == .control }
    }

    /// A `VALIDATION_ERROR` naming `field`: 400 unless `status` says otherwise (422 for a
    /// well-formed value that is refused).
    package static func invalid(_ field: String, _ rule: String, status: Int? = nil) -> YizhanError {
        YizhanError(.validationError, "Field '\(field)' \(rule).", details: ["field": .string(field)], status: status)
    }
}
