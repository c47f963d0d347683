/// The fields of a user a `PATCH` may change; `nil` leaves a field as it is.
public struct UserChanges: Sendable {
    public var email: String?
    public var name: String?
    public var roles: [String]?

    public init(email: String? = nil, name: String? = nil, roles: [String]? = nil) {
        self.email = email
        self.name = name
        self.roles = roles
    }
}
