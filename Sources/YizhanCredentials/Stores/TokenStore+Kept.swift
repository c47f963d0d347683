import Foundation
import SQLKit
import YizhanCore
import YizhanStorage

/// What the pool keeps beside the tokens it fetches: values that arrive from elsewhere (an
/// app_ticket, a user's authorization) and are replaced newest-wins, and dropped only while they
/// are still the value a caller saw.
extension TokenStore {
    /// Stores `sealedToken` as the newest value of `key` whatever version the row holds (it came
    /// from the provider or an operator just now, so it is newer than any stored one); leaves a
    /// lease alone. Returns the new version.
    func put(
        _ key: TokenKey, sealedToken: String, obtainedAt: Date, refreshAt: Date, expiresAt: Date, in work: UnitOfWork
    ) async throws -> Int64 {
        try await ensure(key, in: work)
        let version = try await work.raw("""
            UPDATE provider_tokens
            SET token = \(bind: sealedToken), version = version + 1, obtained_at = \(bind: Timestamp.milliseconds(obtainedAt)),
                refresh_at = \(bind: Timestamp.milliseconds(refreshAt)), expires_at = \(bind: Timestamp.milliseconds(expiresAt))
            WHERE app_id = \(bind: key.appID) AND kind = \(bind: key.kind.rawValue) AND subject = \(bind: key.subject)
            RETURNING version
            """).first()?.decode(column: "version", as: Int64.self)
        guard let version else { throw YizhanError(.internalError, "The token row vanished.") }
        return version
    }

    /// Empties the row if it still holds `version` (the provider refused that value); the version
    /// still grows, so a caller that saw an older value cannot empty a newer one. Whether it did.
    func clear(_ key: TokenKey, version: Int64, in work: UnitOfWork) async throws -> Bool {
        try await work.raw("""
            UPDATE provider_tokens SET token = '', version = version + 1, refresh_at = 0, expires_at = 0
            WHERE app_id = \(bind: key.appID) AND kind = \(bind: key.kind.rawValue) AND subject = \(bind: key.subject)
              AND version = \(bind: version)
            RETURNING version
            """).first() != nil
    }

    /// Forgets the app's tokens but keeps what its users granted (the app's secrets changed, which
    /// ends the tokens bought with them, not the users' authorizations).
    func deleteAllButUserGrants(appID: String, in work: UnitOfWork) async throws {
        let kept = TokenKind.allCases.filter(\.isUserGrant).map(\.rawValue)
        try await work.raw("""
            DELETE FROM provider_tokens WHERE app_id = \(bind: appID) AND kind NOT IN (\(binds: kept))
            """).run()
    }
}
