import Foundation

/// A machine credential of one tenant. Its secret (`yz_…`) is shown once, at creation; only its
/// SHA-256 hash and a short prefix are stored.
public struct APIKey: Sendable, Equatable {
    public var id: String
    public var tenantID: String
    public var name: String
    /// The first characters of the secret, so people can tell keys apart.
    public var prefix: String
    public var permissions: Set<Permission>
    /// The user who created it.
    public var createdBy: String
    public var createdAt: Date
    public var expiresAt: Date?
    public var lastUsedAt: Date?
    public var revokedAt: Date?

    public init(
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
    public func isUsable(at date: Date) -> Bool {
        revokedAt == nil && (expiresAt.map { $0 > date } ?? true)
    }
}
