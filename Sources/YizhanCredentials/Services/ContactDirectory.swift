import Foundation
import YizhanCore
import YizhanStorage

/// Looks people up in a Lark or WeCom app's directory by email or mobile, and keeps what it found
/// per app for a while (the seed's user cache), so the ids a send needs cost no provider call.
///
/// A miss is kept too, for ``missTimeToLive`` (an hour by default): WeCom locks an app's lookup APIs
/// for a day once its failed lookups pass about a fifth of the corp's seats, and a WeCom email miss
/// costs two failures (the corporate mailbox, then the personal address), so a person asked for
/// again and again must not be asked of the provider every time. The hour bounds how long someone
/// who has just joined stays unknown. `refresh` asks the provider even when an answer or a miss is
/// kept, and replaces it with what the provider says. A change of the app's secrets or base URL
/// forgets its entries (``AppService/update(id:tenantID:_:)``), and deleting the app deletes them;
/// ``prune(batch:)`` deletes expired ones.
package struct ContactDirectory: Sendable {
    /// How long a found person's ids are kept: a day, as the seed's user cache does.
    package static let defaultTimeToLive: Duration = .seconds(86_400)
    /// How long a miss is kept: an hour (see the type's documentation for why).
    package static let defaultMissTimeToLive: Duration = .seconds(3_600)

    private let database: any Database
    let clock: any TimeSource
    private let apps: AppService
    let tokens: TokenPool
    private let timeToLive: Duration
    /// How long the provider's "nobody has this email or mobile" is kept.
    let missTimeToLive: Duration
    /// The longest a lookup waits for the provider (the token and the calls together).
    let deadline: Duration
    private let store = ContactStore()
    private let appStore = AppStore()

    /// How long a lookup waits for the provider by default, as verify does: an unreachable or
    /// silent host must not hold the request past a client's patience.
    package static let defaultDeadline: Duration = .seconds(5)

    init(
        database: any Database, clock: any TimeSource, apps: AppService, tokens: TokenPool, timeToLive: Duration,
        missTimeToLive: Duration = ContactDirectory.defaultMissTimeToLive, deadline: Duration = ContactDirectory.defaultDeadline
    ) {
        self.database = database
        self.clock = clock
        self.apps = apps
        self.tokens = tokens
        self.timeToLive = timeToLive
        self.missTimeToLive = missTimeToLive
        self.deadline = deadline
    }

    /// The same directory, waiting at most `deadline` for the provider.
    package func waiting(atMost deadline: Duration) -> ContactDirectory {
        ContactDirectory(
            database: database, clock: clock, apps: apps, tokens: tokens, timeToLive: timeToLive, missTimeToLive: missTimeToLive,
            deadline: deadline)
    }

    /// The provider's ids for the person with this email or mobile (exactly one of them).
    /// - Throws: `NOT_FOUND` (no such app in the tenant); `VALIDATION_ERROR` for a robot or a
    ///   marketplace app, or an `email`/`mobile` that is missing, doubled or malformed;
    ///   `APP_DISABLED`; `CONTACT_NOT_FOUND` (from the provider now, or a miss kept within
    ///   ``missTimeToLive``: `details.from_cache`); `PROVIDER_ERROR` when the provider failed (503
    ///   with `Retry-After` when it did not answer within ``deadline``); `MASTER_KEY_MISSING`.
    package func lookUp(appID: String, tenantID: String, email: String?, mobile: String?, refresh: Bool = false) async throws -> Contact {
        // The app first: another tenant's app is 404 whatever the query says.
        let app = try await apps.app(id: appID, tenantID: tenantID)
        try Self.checkDirectory(of: app)
        guard app.status == .active else { throw AppService.disabled(app.id) }
        let lookup = try ContactLookup(email: email, mobile: mobile)
        if !refresh {
            let now = clock.now()
            let cached = try await database.withConnection { work in
                try await store.entry(appID: app.id, tenantID: tenantID, provider: app.provider, lookup: lookup, now: now, in: work)
            }
            switch cached {
            case .found(let contact)?: return contact
            case .missing?: throw Self.notFound(lookup, of: app, fromCache: true)
            case nil: break
            }
        }
        let found = try await ask(app, lookup)
        // A miss is a contact without ids: kept as one, for the shorter time.
        let kept = found ?? Contact(provider: app.provider, lookup: lookup, lookedUpAt: answeredAt())
        let keptFor = found == nil ? missTimeToLive : timeToLive
        try await database.transaction { work in
            // Kept only if the app is as it was when the provider was asked: an answer got with
            // secrets or a base URL changed meanwhile is not to outlive the change.
            try await appStore.lock(id: app.id, tenantID: tenantID, in: work)
            guard let current = try await appStore.app(id: app.id, tenantID: tenantID, in: work), current.updatedAt == app.updatedAt else { return }
            try await store.save(kept, appID: app.id, tenantID: tenantID, expiresAt: kept.lookedUpAt.addingTimeInterval(Self.seconds(keptFor)), in: work)
        }
        guard let found else { throw Self.notFound(lookup, of: app, fromCache: false) }
        return found
    }

    /// `CONTACT_NOT_FOUND`; `fromCache` when it is a miss kept from an earlier answer.
    private static func notFound(_ lookup: ContactLookup, of app: ProviderApp, fromCache: Bool) -> YizhanError {
        YizhanError(
            .contactNotFound,
            fromCache
                ? "Nobody the app can see had this \(lookup.kind) when the provider was last asked, a short while ago; refresh=true asks again."
                : "Nobody the app can see has this \(lookup.kind).",
            details: ["field": .string(lookup.kind), "provider": .string(app.provider.rawValue), "from_cache": .bool(fromCache)])
    }

    /// Deletes expired entries, `batch` rows per transaction; returns how many.
    @discardableResult
    package func prune(batch: Int = 10_000) async throws -> Int {
        let now = clock.now()
        var total = 0
        while true {
            let deleted = try await database.transaction { work in try await store.deleteExpired(at: now, limit: batch, in: work) }
            total += deleted
            if deleted < batch { return total }
        }
    }

    /// Robots and bots only send; a marketplace app's directory is per customer tenant, whose
    /// tokens the pool does not hold yet.
    static func checkDirectory(of app: ProviderApp) throws(YizhanError) {
        switch app.provider {
        case .lark, .wecom: return
        case .larkMarketplace:
            throw YizhanError(
                .validationError,
                "App \(app.id) is a lark_marketplace app: its directory is per customer tenant, and looking people up there is not supported yet.",
                details: ["field": "app_id", "provider": .string(app.provider.rawValue)], status: 422)
        case .larkBot, .wecomRobot, .dingtalkRobot:
            throw YizhanError(
                .validationError, "App \(app.id) is a \(app.provider.rawValue), which has no directory: look people up through a lark or wecom app.",
                details: ["field": "app_id", "provider": .string(app.provider.rawValue)], status: 422)
        }
    }

    private static func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
