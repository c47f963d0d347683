import YizhanIdentity

/// What an operation requires of the caller, from its `x-permission` in the OpenAPI document.
package enum AccessRequirement: Sendable, Equatable, CustomStringConvertible {
    /// Nothing: health probes, login.
    case `public`
    /// Any valid credential.
    case authenticated
    /// A credential whose principal holds the permission.
    case permission(Permission)

    /// Parses an `x-permission` value; `nil` for an unknown one.
    package init?(_ value: String) {
        switch value {
        case "public": self = .public
        case "authenticated": self = .authenticated
        default:
            guard let permission = Permission(rawValue: value) else { return nil }
            self = .permission(permission)
        }
    }

    package var description: String {
        switch self {
        case .public: "public"
        case .authenticated: "authenticated"
        case .permission(let permission): permission.rawValue
        }
    }
}
