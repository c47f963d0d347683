import SQLKit
import YizhanStorage

/// The sealed tokens of the token pool (`provider_tokens.token`), by (app, kind, subject). Rows
/// not yet fetched (an empty token) are left out. A token sealed again keeps its `version`: it is
/// the same token, so the pool's compare-and-set writes and refusals are unaffected.
struct ProviderTokensColumn: SealedColumn {
    /// A row's primary key, as stored (a kind this binary does not know is still walked).
    struct Key: Hashable, Sendable {
        var appID: String
        var kind: String
        var subject: String
    }

    func page(after key: Key?, limit: Int, in work: UnitOfWork) async throws -> [SealedValue<Key>] {
        let after = key ?? Key(appID: "", kind: "", subject: "")
        return try await work.raw("""
            SELECT app_id, kind, subject, token FROM provider_tokens
            WHERE token <> '' AND (app_id, kind, subject) > (\(bind: after.appID), \(bind: after.kind), \(bind: after.subject))
            ORDER BY app_id, kind, subject LIMIT \(bind: limit)
            """).all().map(Self.decode)
    }

    func value(_ key: Key, in work: UnitOfWork) async throws -> SealedValue<Key>? {
        try await work.raw("""
            SELECT app_id, kind, subject, token FROM provider_tokens
            WHERE app_id = \(bind: key.appID) AND kind = \(bind: key.kind) AND subject = \(bind: key.subject) AND token <> ''
            """).first().map(Self.decode)
    }

    func replace(_ value: SealedValue<Key>, with resealed: String, in work: UnitOfWork) async throws -> Bool {
        try await !work.raw("""
            UPDATE provider_tokens SET token = \(bind: resealed)
            WHERE app_id = \(bind: value.key.appID) AND kind = \(bind: value.key.kind) AND subject = \(bind: value.key.subject)
              AND token = \(bind: value.sealed)
            RETURNING app_id
            """).all().isEmpty
    }

    private static func decode(_ row: any SQLRow) throws -> SealedValue<Key> {
        let key = Key(
            appID: try row.decode(column: "app_id", as: String.self), kind: try row.decode(column: "kind", as: String.self),
            subject: try row.decode(column: "subject", as: String.self))
        return SealedValue(
            key: key, sealed: try row.decode(column: "token", as: String.self),
            purpose: TokenKey.purpose(appID: key.appID, kind: key.kind, subject: key.subject))
    }
}
