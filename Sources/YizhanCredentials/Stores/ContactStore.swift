import Foundation
import SQLKit
import YizhanCore
import YizhanStorage

/// The contact cache, on either engine: the ids a provider gave for a person, per app and lookup,
/// until they expire. A miss (the provider found nobody) is a row whose ids are all NULL: a person
/// found always has one (Lark's `open_id`, WeCom's `userid`).
struct ContactStore {
    /// What the cache holds for one lookup.
    enum Entry: Equatable {
        /// The person the provider found.
        case found(Contact)
        /// The provider found nobody, when it was asked at `lookedUpAt`.
        case missing(lookedUpAt: Date)
    }

    /// The tenant's app's unexpired entry for `lookup` at `now`.
    func entry(
        appID: String, tenantID: String, provider: AppProvider, lookup: ContactLookup, now: Date, in work: UnitOfWork
    ) async throws -> Entry? {
        let row = try await work.raw("""
            SELECT open_id, union_id, user_id, looked_up_at FROM contact_cache
            WHERE app_id = \(bind: appID) AND tenant_id = \(bind: tenantID) AND lookup_kind = \(bind: lookup.kind)
              AND lookup_value = \(bind: lookup.value) AND expires_at > \(bind: Timestamp.milliseconds(now))
            """).first()
        guard let row else { return nil }
        let lookedUpAt = Timestamp.date(milliseconds: try row.decode(column: "looked_up_at", as: Int64.self))
        var contact = Contact(provider: provider, lookup: lookup, lookedUpAt: lookedUpAt, fromCache: true)
        contact.openID = try row.decode(column: "open_id", as: String?.self)
        contact.unionID = try row.decode(column: "union_id", as: String?.self)
        contact.userID = try row.decode(column: "user_id", as: String?.self)
        guard contact.openID != nil || contact.userID != nil || contact.unionID != nil else { return .missing(lookedUpAt: lookedUpAt) }
        return .found(contact)
    }

    /// Keeps `contact` for the tenant's app until `expiresAt`, replacing what was kept for its lookup.
    /// A contact without ids is kept as a miss.
    func save(_ contact: Contact, appID: String, tenantID: String, expiresAt: Date, in work: UnitOfWork) async throws {
        try await work.raw("""
            INSERT INTO contact_cache (app_id, tenant_id, lookup_kind, lookup_value, open_id, union_id, user_id, looked_up_at, expires_at)
            VALUES (\(bind: appID), \(bind: tenantID), \(bind: contact.lookup.kind), \(bind: contact.lookup.value),
                    \(bind: contact.openID), \(bind: contact.unionID), \(bind: contact.userID),
                    \(bind: Timestamp.milliseconds(contact.lookedUpAt)), \(bind: Timestamp.milliseconds(expiresAt)))
            ON CONFLICT (app_id, lookup_kind, lookup_value) DO UPDATE SET
                open_id = excluded.open_id, union_id = excluded.union_id, user_id = excluded.user_id,
                looked_up_at = excluded.looked_up_at, expires_at = excluded.expires_at
            """).run()
    }

    /// Forgets everything kept for the app, people and misses (its credentials or base URL changed).
    func deleteAll(appID: String, in work: UnitOfWork) async throws {
        try await work.raw("DELETE FROM contact_cache WHERE app_id = \(bind: appID)").run()
    }

    /// Deletes up to `limit` entries (people or misses) expired at `now`; returns how many.
    func deleteExpired(at now: Date, limit: Int, in work: UnitOfWork) async throws -> Int {
        try await work.raw("""
            DELETE FROM contact_cache WHERE (app_id, lookup_kind, lookup_value) IN (
                SELECT app_id, lookup_kind, lookup_value FROM contact_cache WHERE expires_at <= \(bind: Timestamp.milliseconds(now))
                LIMIT \(bind: limit))
            RETURNING app_id
            """).all().count
    }
}
