/// The fields of a user a `PATCH` may change; `nil` leaves a field as it is.
package struct UserChanges: Sendable {
    package var email: String?
    package var name: String?
    package var roles: [String]?

    package init(email: String? = nil, name: String? = nil, roles: [String]? = nil) {
        self.email = email
        self.name = name
        self.roles = roles
    }
}
