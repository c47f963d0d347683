import Foundation
import SQLKit
import YizhanCore
import YizhanStorage

/// The token pool's rows, on either engine: one per (app, kind, subject), written compare-and-set
/// on `version`, with a lease that tells the other processes one of them is fetching.
struct TokenStore {
    /// A stored token (sealed) and its state.
    struct Row: Sendable {
        var sealedToken: String
        var version: Int64
        var refreshAt: Date
        var expiresAt: Date
        var leaseOwner: String?
        var leaseUntil: Date

        /// Whether it holds a token that needs no refresh at `now`.
        func isFresh(at now: Date) -> Bool { !sealedToken.isEmpty && now < refreshAt }
        /// Whether another owner's lease is still running at `now`.
        func isLeased(at now: Date, by owner: String) -> Bool { leaseOwner != nil && leaseOwner != owner && now < leaseUntil }
    }

    private static let columns = "token, version, refresh_at, expires_at, lease_owner, lease_until"

    /// Makes sure the row exists (empty, version 0), so that it can be locked before the first fetch.
    func ensure(_ key: TokenKey, in work: UnitOfWork) async throws {
        try await work.raw("""
            INSERT INTO provider_tokens (app_id, kind, subject, token, version, obtained_at, refresh_at, expires_at, lease_owner, lease_until)
            VALUES (\(bind: key.appID), \(bind: key.kind.rawValue), \(bind: key.subject), '', 0, 0, 0, 0, NULL, 0)
            ON CONFLICT (app_id, kind, subject) DO NOTHING
            """).run()
    }

    /// The row, locked until the transaction ends on PostgreSQL (SQLite's `BEGIN IMMEDIATE` holds
    /// the whole database's write lock already).
    func locked(_ key: TokenKey, in work: UnitOfWork) async throws -> Row? {
        let lock: SQLQueryString = work.engine == .postgres ? " FOR UPDATE" : ""
        return try await work.raw("""
            SELECT \(unsafeRaw: Self.columns) FROM provider_tokens
            WHERE app_id = \(bind: key.appID) AND kind = \(bind: key.kind.rawValue) AND subject = \(bind: key.subject)\(lock)
            """).first().map(Self.decode)
    }

    /// The row as it is now, unlocked.
    func row(_ key: TokenKey, in work: UnitOfWork) async throws -> Row? {
        try await work.raw("""
            SELECT \(unsafeRaw: Self.columns) FROM provider_tokens
            WHERE app_id = \(bind: key.appID) AND kind = \(bind: key.kind.rawValue) AND subject = \(bind: key.subject)
            """).first().map(Self.decode)
    }

    /// Marks the token of `version` as refused by the provider: it is stale for everyone.
    func markRefused(_ key: TokenKey, version: Int64, in work: UnitOfWork) async throws {
        try await work.raw("""
            UPDATE provider_tokens SET refresh_at = 0, expires_at = 0
            WHERE app_id = \(bind: key.appID) AND kind = \(bind: key.kind.rawValue) AND subject = \(bind: key.subject)
              AND version = \(bind: version)
            """).run()
    }

    /// Gives the fetch to `owner` until `until`.
    func lease(_ key: TokenKey, to owner: String, until: Date, in work: UnitOfWork) async throws {
        try await work.raw("""
            UPDATE provider_tokens SET lease_owner = \(bind: owner), lease_until = \(bind: Timestamp.milliseconds(until))
            WHERE app_id = \(bind: key.appID) AND kind = \(bind: key.kind.rawValue) AND subject = \(bind: key.subject)
            """).run()
    }

    /// Ends `owner`'s lease (its fetch failed), if it still holds it.
    func release(_ key: TokenKey, owner: String, in work: UnitOfWork) async throws {
        try await work.raw("""
            UPDATE provider_tokens SET lease_owner = NULL, lease_until = 0
            WHERE app_id = \(bind: key.appID) AND kind = \(bind: key.kind.rawValue) AND subject = \(bind: key.subject)
              AND lease_owner = \(bind: owner)
            """).run()
    }

    /// Writes a new token if the row is still at `expectedVersion`, ending any lease; returns the
    /// new version, or nil when a newer token was written meanwhile (which then stays).
    func write(
        _ key: TokenKey, sealedToken: String, obtainedAt: Date, refreshAt: Date, expiresAt: Date, expectedVersion: Int64,
        in work: UnitOfWork
    ) async throws -> Int64? {
        try await work.raw("""
            UPDATE provider_tokens
            SET token = \(bind: sealedToken), version = version + 1, obtained_at = \(bind: Timestamp.milliseconds(obtainedAt)),
                refresh_at = \(bind: Timestamp.milliseconds(refreshAt)), expires_at = \(bind: Timestamp.milliseconds(expiresAt)),
                lease_owner = NULL, lease_until = 0
            WHERE app_id = \(bind: key.appID) AND kind = \(bind: key.kind.rawValue) AND subject = \(bind: key.subject)
              AND version = \(bind: expectedVersion)
            RETURNING version
            """).first()?.decode(column: "version", as: Int64.self)
    }

    /// Forgets every token of the app (its secrets or base URL changed).
    func deleteAll(appID: String, in work: UnitOfWork) async throws {
        try await work.raw("DELETE FROM provider_tokens WHERE app_id = \(bind: appID)").run()
    }

    static func decode(_ row: any SQLRow) throws -> Row {
        Row(
            sealedToken: try row.decode(column: "token", as: String.self),
            version: try row.decode(column: "version", as: Int64.self),
            refreshAt: Timestamp.date(milliseconds: try row.decode(column: "refresh_at", as: Int64.self)),
            expiresAt: Timestamp.date(milliseconds: try row.decode(column: "expires_at", as: Int64.self)),
            leaseOwner: try row.decode(column: "lease_owner", as: String?.self),
            leaseUntil: Timestamp.date(milliseconds: try row.decode(column: "lease_until", as: Int64.self)))
    }
}
