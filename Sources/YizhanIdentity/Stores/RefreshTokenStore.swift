import Foundation
import SQLKit
import YizhanStorage

/// Refresh tokens, stored only as SHA-256 hashes, grouped into families (one per login session).
///
/// Each refresh rotates the token: the presented one is marked rotated and a new one joins the
/// family. Presenting a rotated token again means it was copied, so the whole family is revoked.
/// Every change of a user's sessions runs in a transaction that first locks the user's row
/// (``UserStore/lock(id:in:)``), so a revocation and a concurrent rotation cannot interleave and
/// leave the rotated-to token alive.
struct RefreshTokenStore {
    /// What presenting a refresh token led to.
    enum Rotation: Sendable, Equatable {
        /// The token was current: it is now rotated, and the new one is stored. `issuedAt` is when
        /// the presented token was issued.
        case rotated(userID: String, tenantID: String, familyID: String, issuedAt: Date)
        /// The token had been rotated already: the family is now revoked.
        case reused(userID: String, tenantID: String, familyID: String)
        /// Unknown, expired or revoked.
        case invalid
    }

    /// Stores a new token (the first of a family at login, or the next at a rotation).
    func insert(
        hash: String, familyID: String, userID: String, tenantID: String, issuedAt: Date, expiresAt: Date,
        in work: UnitOfWork
    ) async throws {
        try await work.raw("""
            INSERT INTO refresh_tokens (token_hash, family_id, user_id, tenant_id, issued_at, expires_at)
            VALUES (\(bind: hash), \(bind: familyID), \(bind: userID), \(bind: tenantID),
                    \(bind: Timestamp.milliseconds(issuedAt)), \(bind: Timestamp.milliseconds(expiresAt)))
            """).run()
    }

    /// The user a token belongs to, so the caller can lock that user before rotating.
    func owner(hash: String, in work: UnitOfWork) async throws -> String? {
        try await work.raw("SELECT user_id FROM refresh_tokens WHERE token_hash = \(bind: hash)").first()?
            .decode(column: "user_id", as: String.self)
    }

    /// Rotates the token with `hash` to `newHash`: of two concurrent rotations of the same token,
    /// one succeeds and the other counts as reuse. Run it in a transaction with the user locked.
    func rotate(hash: String, to newHash: String, expiresAt: Date, now: Date, in work: UnitOfWork) async throws -> Rotation {
        guard let row = try await work.raw("SELECT * FROM refresh_tokens WHERE token_hash = \(bind: hash)").first() else {
            return .invalid
        }
        let familyID = try row.decode(column: "family_id", as: String.self)
        let userID = try row.decode(column: "user_id", as: String.self)
        let tenantID = try row.decode(column: "tenant_id", as: String.self)
        if try row.decode(column: "revoked_at", as: Int64?.self) != nil { return .invalid }
        if try row.decode(column: "rotated_at", as: Int64?.self) != nil {
            try await revokeFamily(familyID, now: now, in: work)
            return .reused(userID: userID, tenantID: tenantID, familyID: familyID)
        }
        if try row.decode(column: "expires_at", as: Int64.self) <= Timestamp.milliseconds(now) { return .invalid }
        let claimed = try await work.raw("""
            UPDATE refresh_tokens SET rotated_at = \(bind: Timestamp.milliseconds(now))
            WHERE token_hash = \(bind: hash) AND rotated_at IS NULL AND revoked_at IS NULL
            RETURNING token_hash
            """).all()
        guard !claimed.isEmpty else {
            try await revokeFamily(familyID, now: now, in: work)
            return .reused(userID: userID, tenantID: tenantID, familyID: familyID)
        }
        try await insert(
            hash: newHash, familyID: familyID, userID: userID, tenantID: tenantID, issuedAt: now, expiresAt: expiresAt,
            in: work)
        let issuedAt = Timestamp.date(milliseconds: try row.decode(column: "issued_at", as: Int64.self))
        return .rotated(userID: userID, tenantID: tenantID, familyID: familyID, issuedAt: issuedAt)
    }

    /// Revokes every token of the family (logout of one session).
    func revokeFamily(_ familyID: String, now: Date, in work: UnitOfWork) async throws {
        try await work.raw("""
            UPDATE refresh_tokens SET revoked_at = \(bind: Timestamp.milliseconds(now))
            WHERE family_id = \(bind: familyID) AND revoked_at IS NULL
            """).run()
    }

    /// Revokes every token of the user (logout everywhere, password change, deletion).
    func revokeAll(userID: String, now: Date, in work: UnitOfWork) async throws {
        try await work.raw("""
            UPDATE refresh_tokens SET revoked_at = \(bind: Timestamp.milliseconds(now))
            WHERE user_id = \(bind: userID) AND revoked_at IS NULL
            """).run()
    }

    /// Whether the session (family) still has an unrevoked token.
    func isSessionActive(_ familyID: String, in work: UnitOfWork) async throws -> Bool {
        try await work.raw("""
            SELECT 1 AS live FROM refresh_tokens WHERE family_id = \(bind: familyID) AND revoked_at IS NULL LIMIT 1
            """).first() != nil
    }

    /// Deletes tokens that expired before `cutoff`: an expired token is refused whether or not its
    /// row exists, so only rows that could still be presented (and reuse-detected) are kept.
    func deleteExpired(before cutoff: Date, in work: UnitOfWork) async throws -> Int {
        try await work.raw("""
            DELETE FROM refresh_tokens WHERE expires_at < \(bind: Timestamp.milliseconds(cutoff)) RETURNING token_hash
            """).all().count
    }
}
