import Foundation
import SQLKit
import YizhanCore
import YizhanStorage

/// API keys: the tenant's list, and lookup by the hash of a presented secret.
struct APIKeyStore {
    /// Stores a new key under the hash of its secret.
    func insert(_ key: APIKey, secretHash: String, in work: UnitOfWork) async throws {
        try await work.raw("""
            INSERT INTO api_keys (id, tenant_id, name, prefix, key_hash, permissions, created_by, created_at, expires_at)
            VALUES (\(bind: key.id), \(bind: key.tenantID), \(bind: key.name), \(bind: key.prefix), \(bind: secretHash),
                    \(bind: StoredJSON.encode(permissions: key.permissions)), \(bind: key.createdBy),
                    \(bind: Timestamp.milliseconds(key.createdAt)), \(bind: key.expiresAt.map(Timestamp.milliseconds)))
            """).run()
    }

    /// The key whose secret hashes to `secretHash`, revoked or not.
    func key(secretHash: String, in work: UnitOfWork) async throws -> APIKey? {
        try await work.raw("SELECT * FROM api_keys WHERE key_hash = \(bind: secretHash)").first().map(Self.decode)
    }

    /// The tenant's key `id`.
    func key(id: String, tenantID: String, in work: UnitOfWork) async throws -> APIKey? {
        try await work.raw("SELECT * FROM api_keys WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID)")
            .first().map(Self.decode)
    }

    /// The tenant's keys, newest first; revoked ones only when asked.
    func list(tenantID: String, includeRevoked: Bool, page: PageRequest, in work: UnitOfWork) async throws -> Page<APIKey> {
        var filter: SQLQueryString = "tenant_id = \(bind: tenantID)"
        if !includeRevoked { filter += " AND revoked_at IS NULL" }
        let total = try await work.raw("SELECT COUNT(*) AS n FROM api_keys WHERE \(filter)").first()?
            .decode(column: "n", as: Int.self) ?? 0
        let rows = try await work.raw("""
            SELECT * FROM api_keys WHERE \(filter) ORDER BY created_at DESC, id
            LIMIT \(bind: page.pageSize) OFFSET \(bind: page.offset)
            """).all()
        return Page(items: try rows.map(Self.decode), total: total, page: page.page, pageSize: page.pageSize)
    }

    /// Revokes the tenant's key; `nil` when there is no such key, the key (revoked) otherwise.
    func revoke(id: String, tenantID: String, now: Date, in work: UnitOfWork) async throws -> APIKey? {
        try await work.raw("""
            UPDATE api_keys SET revoked_at = COALESCE(revoked_at, \(bind: Timestamp.milliseconds(now)))
            WHERE id = \(bind: id) AND tenant_id = \(bind: tenantID)
            """).run()
        return try await key(id: id, tenantID: tenantID, in: work)
    }

    /// Revokes every live key the user created (when the user is deleted); returns how many.
    @discardableResult
    func revokeAll(createdBy userID: String, tenantID: String, now: Date, in work: UnitOfWork) async throws -> Int {
        try await work.raw("""
            UPDATE api_keys SET revoked_at = \(bind: Timestamp.milliseconds(now))
            WHERE created_by = \(bind: userID) AND tenant_id = \(bind: tenantID) AND revoked_at IS NULL
            RETURNING id
            """).all().count
    }

    /// Records that the key was used (callers limit this to about once a minute per key).
    func touch(id: String, at date: Date, in work: UnitOfWork) async throws {
        try await work.raw("UPDATE api_keys SET last_used_at = \(bind: Timestamp.milliseconds(date)) WHERE id = \(bind: id)").run()
    }

    static func decode(_ row: any SQLRow) throws -> APIKey {
        APIKey(
            id: try row.decode(column: "id", as: String.self),
            tenantID: try row.decode(column: "tenant_id", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            prefix: try row.decode(column: "prefix", as: String.self),
            permissions: try StoredJSON.permissions(from: try row.decode(column: "permissions", as: String.self)),
            createdBy: try row.decode(column: "created_by", as: String.self),
            createdAt: Timestamp.date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
            expiresAt: try row.decode(column: "expires_at", as: Int64?.self).map(Timestamp.date(milliseconds:)),
            lastUsedAt: try row.decode(column: "last_used_at", as: Int64?.self).map(Timestamp.date(milliseconds:)),
            revokedAt: try row.decode(column: "revoked_at", as: Int64?.self).map(Timestamp.date(milliseconds:)))
    }
}
