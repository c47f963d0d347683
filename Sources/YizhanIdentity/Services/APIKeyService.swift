import Foundation
import YizhanCore
import YizhanStorage

/// API keys for machines: created by a user with a subset of the user's permissions, shown once,
/// stored as a hash, revocable. A key never does more than its creator can do now: its permissions
/// are cut to the creator's current ones on every use, and deleting the creator revokes it.
package struct APIKeyService: Sendable {
    /// Every key secret starts with this, so keys are told apart from access tokens (and found by
    /// secret scanners).
    package static let secretPrefix = "yz_"
    /// How many characters of the secret are kept to tell keys apart.
    static let displayedPrefixLength = 11
    /// `created_by` of keys made with the CLI (by whoever holds the database), which no user limits.
    package static let commandLineCreator = "cli"

    private let database: any Database
    private let clock: any TimeSource
    private let audit: AuditLog
    private let cache: PrincipalCache
    private let store = APIKeyStore()

    init(database: any Database, clock: any TimeSource, audit: AuditLog, cache: PrincipalCache) {
        self.database = database
        self.clock = clock
        self.audit = audit
        self.cache = cache
    }

    /// The tenant's keys, newest first; revoked ones only when asked.
    package func list(tenantID: String, includeRevoked: Bool, page: PageRequest) async throws -> Page<APIKey> {
        try await database.withConnection { work in
            try await store.list(tenantID: tenantID, includeRevoked: includeRevoked, page: page, in: work)
        }
    }

    /// The tenant's key `id`.
    package func key(id: String, tenantID: String) async throws -> APIKey? {
        try await database.withConnection { work in try await store.key(id: id, tenantID: tenantID, in: work) }
    }

    /// Creates a key for the principal's tenant; returns it and its secret, which is never shown again.
    package func create(
        by principal: Principal, name: String, permissions names: [String], expiresAt: Date?
    ) async throws -> (key: APIKey, secret: String) {
        guard let userID = principal.userID else {
            throw YizhanError(.forbidden, "API keys are created by users, not by other keys.")
        }
        let permissions = try InputRules.permissions(names)
        let beyond = permissions.subtracting(principal.permissions)
        guard beyond.isEmpty else {
            throw YizhanError(
                .forbidden, "A key cannot have permissions its creator lacks: \(beyond.sorted().map(\.rawValue).joined(separator: ", ")).",
                details: ["permissions": .array(beyond.sorted().map { .string($0.rawValue) })])
        }
        return try await create(tenantID: principal.tenantID, name: name, permissions: permissions, expiresAt: expiresAt, createdBy: userID)
    }

    /// Creates a key with no caller (the CLI): any tenant permission may be given, and no user's
    /// permissions limit it.
    package func create(
        tenantID: String, name: String, permissions names: [String], expiresAt: Date?
    ) async throws -> (key: APIKey, secret: String) {
        let permissions = try InputRules.permissions(names)
        return try await create(
            tenantID: tenantID, name: name, permissions: permissions, expiresAt: expiresAt, createdBy: Self.commandLineCreator)
    }

    private func create(
        tenantID: String, name: String, permissions: Set<Permission>, expiresAt: Date?, createdBy: String
    ) async throws -> (key: APIKey, secret: String) {
        let name = try InputRules.name(name)
        guard !permissions.isEmpty else { throw InputRules.invalid("permissions", "must name at least one permission") }
        let now = clock.now()
        if let expiresAt, expiresAt <= now {
            // A well-formed time refused: 422, as a weak password is (docs/api.md).
            throw InputRules.invalid("expires_at", "must be in the future", status: 422)
        }
        let secret = OpaqueSecret.random(prefix: Self.secretPrefix)
        let key = APIKey(
            id: IdentityID.make("key"), tenantID: tenantID, name: name,
            prefix: String(secret.prefix(Self.displayedPrefixLength)), permissions: permissions, createdBy: createdBy,
            createdAt: now, expiresAt: expiresAt, lastUsedAt: nil, revokedAt: nil)
        try await database.transaction { work in
            try await store.insert(key, secretHash: OpaqueSecret.hash(secret), in: work)
            try await audit.record(
                "api_key.create", tenantID: tenantID, target: .init("api_key", key.id),
                details: ["name": name, "permissions": permissions.sorted().map(\.rawValue).joined(separator: " ")], in: work)
        }
        return (key, secret)
    }

    /// Revokes the principal's tenant's key; `NOT_FOUND` for a key of another tenant or none.
    package func revoke(id: String, by principal: Principal) async throws -> APIKey {
        try await revoke(id: id, tenantID: principal.tenantID)
    }

    /// Revokes the tenant's key; `NOT_FOUND` for a key of another tenant or none.
    package func revoke(id: String, tenantID: String) async throws -> APIKey {
        let now = clock.now()
        return try await database.transaction { work in
            guard let key = try await store.revoke(id: id, tenantID: tenantID, now: now, in: work) else {
                throw YizhanError(.notFound, "No API key with id \(id).")
            }
            try await audit.record(
                "api_key.revoke", tenantID: tenantID, target: .init("api_key", id), details: ["name": key.name], in: work)
            work.invalidates(cache)
            return key
        }
    }
}
