import Foundation

/// A person who logs in to one tenant.
package struct User: Sendable, Equatable {
    package var id: String
    package var tenantID: String
    /// Lower-cased; unique among the tenant's users that are not deleted.
    package var email: String
    package var name: String
    /// Role names: built-in (`owner`, `admin`, …) or the tenant's custom roles.
    package var roles: [String]
    package var createdAt: Date
    package var updatedAt: Date
    /// When the password was last set; tokens issued before it are void.
    package var passwordChangedAt: Date

    package init(
        id: String, tenantID: String, email: String, name: String, roles: [String],
        createdAt: Date, updatedAt: Date, passwordChangedAt: Date
    ) {
        self.id = id
        self.tenantID = tenantID
        self.email = email
        self.name = name
        self.roles = roles
        self.createdAt = createdAt
        self.updatedAt = updatedAt
        self.passwordChangedAt = passwordChangedAt
    }
}
