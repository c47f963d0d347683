import Foundation

/// A machine credential of one tenant. Its secret (`yz_…`) is shown once, at creation; only its
/// SHA-256 hash and a short prefix are stored.
package struct APIKey: Sendable, Equatable {
    package var id: String
    package var tenantID: String
    package var name: String
    /// The first characters of the secret, so people can tell keys apart.
    package var prefix: String
    package var permissions: Set<Permission>
    /// The user who created it.
    package var createdBy: String
    package var createdAt: Date
    package var expiresAt: Date?
    package var lastUsedAt: Date?
    package var revokedAt: Date?

    package init(
        id: String, tenantID: String, name: String, prefix: String, permissions: Set<Permission>,
        createdBy: String, createdAt: Date, expiresAt: Date?, lastUsedAt: Date?, revokedAt: Date?
    ) {
        self.id = id
        self.tenantID = tenantID
        self.name = name
        self.prefix = prefix
        self.permissions = permissions
        self.createdBy = createdBy
        self.createdAt = createdAt
        self.expiresAt = expiresAt
        self.lastUsedAt = lastUsedAt
        self.revokedAt = revokedAt
    }

    /// Whether the key may be used at `date`.
    package func isUsable(at date: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { $0 > date } ?? true)
    }
}
