import Foundation
import YizhanCore
import YizhanIdentity

/// Whom to look up in a provider's directory: one email or one mobile number.
package enum ContactLookup: Sendable, Hashable {
    /// An email address, trimmed and lower-cased.
    case email(String)
    /// A mobile number as the caller gave it (digits, `+` and a country code for numbers outside
    /// mainland China): what a number without a country code means is the provider's business.
    case mobile(String)

    /// `email` or `mobile`: the query parameter and the stored kind.
    package var kind: String {
        switch self {
        case .email: "email"
        case .mobile: "mobile"
        }
    }

    /// The normalised email or the mobile.
    package var value: String {
        switch self {
        case .email(let email): email
        case .mobile(let mobile): mobile
        }
    }

    /// The lookup the caller asked for: exactly one of `email` and `mobile`.
    /// - Throws: `VALIDATION_ERROR` naming the parameter: neither or both given, or one malformed.
    package init(email: String?, mobile: String?) throws(YizhanError) {
        switch (email, mobile) {
        case (let email?, nil):
            self = .email(try InputRules.email(email, field: "email"))
        case (nil, let mobile?):
            self = .mobile(try Self.mobile(mobile))
        case (nil, nil):
            throw InputRules.invalid("email", "or 'mobile' is required: give exactly one", status: 422)
        case (_?, _?):
            throw InputRules.invalid("mobile", "cannot be given with 'email': give exactly one", status: 422)
        }
    }

    /// 4 to 20 digits, with a leading `+` before a country code.
    static func mobile(_ raw: String) throws(YizhanError) -> String {
        var mobile = raw.trimmingCharacters(in: .whitespaces)
        // An unescaped `+` in a query string reads as a space (form encoding), so
        // `?mobile=+8613800000000` arrives as " 8613800000000": the caller meant the plus.
        if raw.hasPrefix(" "), !raw.hasPrefix("  "), mobile.first?.isASCII == true, mobile.first?.isNumber == true {
            mobile = "+" + mobile
        }
        guard CredentialRule.matches(mobile, #"\+?[0-9]{4,20}"#) else {
            throw InputRules.invalid("mobile", "must be 4 to 20 digits, with a leading + before a country code")
        }
        return mobile
    }
}
