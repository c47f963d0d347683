import Foundation
import SQLKit
import YizhanStorage

/// Refresh tokens, stored only as SHA-256 hashes, grouped into families (one per login session).
///
/// Each refresh rotates the token: the presented one is marked rotated and a new one joins the
/// family. Presenting a rotated token again means it was copied, so the whole family is revoked.
public struct RefreshTokenStore: Sendable {
    /// What presenting a refresh token led to.
    public enum Rotation: Sendable, Equatable {
        /// The token was current: it is now rotated, and the new one is stored.
        case rotated(userID: String, tenantID: String, familyID: String)
        /// The token had been rotated already: the family is now revoked.
        case reused(userID: String, tenantID: String, familyID: String)
        /// Unknown, expired or revoked.
        case invalid
    }

    private let database: any Database

    public init(database: any Database) {
        self.database = database
    }

    /// Stores a new token (the first of a family at login).
    public func insert(hash: String, familyID: String, userID: String, tenantID: String, expiresAt: Date) async throws {
        try await database.withConnection { sql in
            try await Self.insert(hash: hash, familyID: familyID, userID: userID, tenantID: tenantID, expiresAt: expiresAt, sql)
        }
    }

    /// Rotates the token with `hash` to `newHash`, atomically: of two concurrent rotations of the
    /// same token, one succeeds and the other counts as reuse.
    public func rotate(hash: String, to newHash: String, expiresAt: Date, now: Date = Date()) async throws -> Rotation {
        let stamp = Timestamp.milliseconds(now)
        return try await database.transaction { sql in
            guard let row = try await sql.raw("SELECT * FROM refresh_tokens WHERE token_hash = \(bind: hash)").first() else {
                return .invalid
            }
            let familyID = try row.decode(column: "family_id", as: String.self)
            let userID = try row.decode(column: "user_id", as: String.self)
            let tenantID = try row.decode(column: "tenant_id", as: String.self)
            if try row.decode(column: "revoked_at", as: Int64?.self) != nil { return .invalid }
            if try row.decode(column: "rotated_at", as: Int64?.self) != nil {
                try await Self.revokeFamily(familyID, at: stamp, sql)
                return .reused(userID: userID, tenantID: tenantID, familyID: familyID)
            }
            if try row.decode(column: "expires_at", as: Int64.self) <= stamp { return .invalid }
            let claimed = try await sql.raw("""
                UPDATE refresh_tokens SET rotated_at = \(bind: stamp)
                WHERE token_hash = \(bind: hash) AND rotated_at IS NULL AND revoked_at IS NULL
                RETURNING token_hash
                """).all()
            guard !claimed.isEmpty else {
                try await Self.revokeFamily(familyID, at: stamp, sql)
                return .reused(userID: userID, tenantID: tenantID, familyID: familyID)
            }
            try await Self.insert(hash: newHash, familyID: familyID, userID: userID, tenantID: tenantID, expiresAt: expiresAt, sql)
            return .rotated(userID: userID, tenantID: tenantID, familyID: familyID)
        }
    }

    /// Revokes every token of the family (logout of one session).
    public func revokeFamily(_ familyID: String) async throws {
        let stamp = Timestamp.nowMilliseconds()
        try await database.withConnection { sql in try await Self.revokeFamily(familyID, at: stamp, sql) }
    }

    /// Revokes every token of the user (logout everywhere, password change, deletion).
    public func revokeAll(userID: String) async throws {
        let stamp = Timestamp.nowMilliseconds()
        try await database.withConnection { sql in
            try await sql.raw("""
                UPDATE refresh_tokens SET revoked_at = \(bind: stamp) WHERE user_id = \(bind: userID) AND revoked_at IS NULL
                """).run()
        }
    }

    /// Whether the session (family) still has an unrevoked token.
    public func isSessionActive(_ familyID: String) async throws -> Bool {
        try await database.withConnection { sql in
            try await sql.raw("""
                SELECT 1 AS live FROM refresh_tokens WHERE family_id = \(bind: familyID) AND revoked_at IS NULL LIMIT 1
                """).first() != nil
        }
    }

    private static func insert(
        hash: String, familyID: String, userID: String, tenantID: String, expiresAt: Date, _ sql: any SQLDatabase
    ) async throws {
        try await sql.raw("""
            INSERT INTO refresh_tokens (token_hash, family_id, user_id, tenant_id, issued_at, expires_at)
            VALUES (\(bind: hash), \(bind: familyID), \(bind: userID), \(bind: tenantID),
                    \(bind: Timestamp.nowMilliseconds()), \(bind: Timestamp.milliseconds(expiresAt)))
            """).run()
    }

    private static func revokeFamily(_ familyID: String, at stamp: Int64, _ sql: any SQLDatabase) async throws {
        try await sql.raw("""
            UPDATE refresh_tokens SET revoked_at = \(bind: stamp) WHERE family_id = \(bind: familyID) AND revoked_at IS NULL
            """).run()
    }
}
