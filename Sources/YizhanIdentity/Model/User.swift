import Foundation

/// A person who logs in to one tenant.
public struct User: Sendable, Equatable {
    public var id: String
    public var tenantID: String
    /// Lower-cased; unique among the tenant's users that are not deleted.
    public var email: String
    public var name: String
    /// Role names: built-in (`owner`, `admin`, …) or the tenant's custom roles.
    public var roles: [String]
    public var createdAt: Date
    public var updatedAt: Date
    /// When the password was last set; tokens issued before it are void.
    public var passwordChangedAt: Date

    public init(
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
