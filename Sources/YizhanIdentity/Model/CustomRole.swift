import Foundation

/// A tenant's own roles, next to the built-in ones.
package struct CustomRole: Sendable, Equatable {
    package var name: String
    package var description: String
    package var permissions: Set<Permission>
    package var createdAt: Date
    package var updatedAt: Date

    package init(name: String, description: String, permissions: Set<Permission>, createdAt: Date, updatedAt: Date) {
        self.name = name
        self.description = description
        self.permissions = permissions
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }
}
