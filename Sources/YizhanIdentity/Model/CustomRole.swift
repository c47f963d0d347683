import Foundation

/// A tenant's own roles, next to the built-in ones.
public struct CustomRole: Sendable, Equatable {
    public var name: String
    public var description: String
    public var permissions: Set<Permission>
    public var createdAt: Date
    public var updatedAt: Date

    public init(name: String, description: String, permissions: Set<Permission>, createdAt: Date, updatedAt: Date) {
        self.name = name
        self.description = description
        self.permissions = permissions
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
