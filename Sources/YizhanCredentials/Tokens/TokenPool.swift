import AsyncHTTPClient
import Foundation
import Logging
import ProviderKitSupport
import Synchronization
import YizhanCore
import YizhanStorage

/// Provider access tokens of every app, shared by every caller of this process and by every
/// process on the same database.
///
/// - The hit path is memory: a token with more than the last 10 % of its life left is returned at
///   once. In that last 10 % the current token is still returned while one refresh runs behind it.
/// - Inside a process, one fetch per (app, kind) is in flight at a time; every caller that needs it
///   waits for that one.
/// - Across processes, the token is stored sealed with a version. A process that finds the stored
///   token stale takes the row's lease under the row's lock (PostgreSQL `FOR UPDATE`; SQLite's
///   `BEGIN IMMEDIATE`), re-reading it first, and fetches only if it is still stale; the others poll
///   the row for the next version. The write is compare-and-set on the version, so an older token
///   never overwrites a newer one.
/// - A token the provider refused (``invalidate(_:for:)``) is dropped only if it is still the
///   current one, and the stored row only if it still holds that version; then one fetch replaces it.
///
/// Tokens never appear in a log line or an error.
package final class TokenPool: Sendable {
    /// Gets a fresh token from the provider.
    package typealias Fetch = @Sendable () async throws -> FetchedToken

    /// A token in memory.
    struct Entry: Sendable {
        var token: String
        var version: Int64
        var refreshAt: Date
        var expiresAt: Date
        /// The provider refused it: the next caller replaces it.
        var refused = false
        /// The provider refused it once and then handed it back when asked for a new one: it is
        /// valid, and a refusal of it is the API's (one that takes no token of this kind, or a
        /// permission the app lacks), so further refusals do not make the pool fetch again.
        var handedBackAfterRefusal = false
        /// The newest change of the app (its `updatedAt`) a caller knew of when the entry was made:
        /// a caller that knows of a newer change (a secret replaced, a move, in another process)
        /// re-reads the stored token rather than use this one.
        var stamp = Date.distantPast
    }

    let database: any Database
    let clock: any TimeSource
    let configuration: TokenPoolConfiguration
    let apps: AppService
    let httpClient: HTTPClient
    let logger: Logger
    private let observer: (any TokenPoolObserver)?
    let vault: SecretVault?
    private let store = TokenStore()
    /// Who holds a lease: this pool, in this process.
    private let owner = "pool-" + UUID().uuidString.lowercased()
    private let memory = Mutex<[TokenKey: Entry]>([:])
    private let inFlight = Mutex<[TokenKey: Task<Entry, any Error>]>([:])
    /// The marketplace apps' app_ticket resends asked for from this process.
    let ticketResends = LarkTicketResends()
    /// The last failed fetch per key, while its pause lasts: callers get its error without asking
    /// the provider again (WeCom bans an IP that keeps sending a wrong secret; both providers
    /// limit their token endpoints).
    private let failures = Mutex<[TokenKey: FetchFailure]>([:])

    init(
        database: any Database, clock: any TimeSource, vault: SecretVault?, apps: AppService,
        configuration: TokenPoolConfiguration = .init(), httpClient: HTTPClient = ProviderHTTP.client,
        logger: Logger = Logger(label: "yizhan.tokens"), observer: (any TokenPoolObserver)? = nil
    ) {
        self.database = database
        self.clock = clock
        self.vault = vault
        self.apps = apps
        self.configuration = configuration
        self.httpClient = httpClient
        self.logger = logger
        self.observer = observer
    }

    /// A valid token for `key`: from memory, else from the database, else from `fetch` (once for
    /// every caller of every process that needs it now).
    /// - Parameter notBefore: The app's last change the caller knows of (its `updatedAt`): a token
    ///   held in memory since before it is read again from the database, where the change deleted
    ///   the tokens it made useless.
    package func token(_ key: TokenKey, notBefore: Date = .distantPast, fetch: @escaping Fetch) async throws -> String {
        var cached = memory.withLock { $0[key] }
        if let entry = cached, entry.stamp < notBefore { cached = nil }
        if let cached, !cached.refused {
            let now = clock.now()
            if now < cached.refreshAt {
                observer?.hit(key.kind)
                return cached.token
            }
            if now < cached.expiresAt {
                refreshBehind(key, cached, notBefore: notBefore, fetch: fetch)
                observer?.hit(key.kind)
                return cached.token
            }
        }
        if let failure = failures.withLock({ $0[key] }), clock.now() < failure.until { throw failure.error }
        observer?.waited(key.kind)
        // The fetch goes on for the other callers when this one is cancelled.
        let task = shared(key, refused: cached?.refused == true ? cached?.version : nil, notBefore: notBefore, fetch: fetch).task
        return try await cancellableValue(of: task).token
    }

    /// Forgets `token` if it is still the current one for `key` (the provider refused it): the next
    /// ``token(_:fetch:)`` replaces it, in the database too unless another process did already.
    package func invalidate(_ token: String, for key: TokenKey) {
        memory.withLock { entries in
            if var entry = entries[key], entry.token == token, !entry.handedBackAfterRefusal {
                entry.refused = true
                entries[key] = entry
            }
        }
    }

    /// Forgets every token of the app held in this process (its secrets or base URL changed; the
    /// stored rows were deleted with the change).
    package func forget(appID: String) {
        memory.withLock { entries in entries = entries.filter { $0.key.appID != appID } }
        failures.withLock { entries in entries = entries.filter { $0.key.appID != appID } }
    }

    /// Lets the next call for any of the app's tokens ask the provider at once, whatever failed
    /// before (a new app_ticket or a user's new authorization arrived), in this process.
    package func endPauses(appID: String) {
        failures.withLock { entries in entries = entries.filter { $0.key.appID != appID } }
    }

    /// The failure kept for `key` while its pause lasts: a check made outside the pool
    /// (``AppVerifier``) answers it rather than asking the provider again.
    package func pausedFailure(_ key: TokenKey) -> (any Error)? {
        failures.withLock { $0[key] }.flatMap { clock.now() < $0.until ? $0.error : nil }
    }

    /// Counts a failed fetch made outside the pool as the pool's own, so its pause grows the same
    /// way (a check repeated in a loop must not ask the provider more often than the pool would).
    package func noteFailedFetch(_ key: TokenKey, _ error: any Error) {
        recordFailure(key, error)
    }

    /// Returns once no fetch is in flight (for shutdown and tests: a refresh started behind a
    /// caller would otherwise outlive them). Cancelled, it cancels the fetches in flight and returns.
    package func settle() async {
        while !Task.isCancelled, let task = inFlight.withLock({ $0.values.first }) {
            _ = await withTaskCancellationHandler { await task.result } onCancel: { task.cancel() }
            await Task.yield()
        }
    }

    /// In the last 10 % of `cached`'s life: starts the refresh unless one runs; if it fails, the
    /// token is used on and the next attempt waits a little (at most until it expires).
    private func refreshBehind(_ key: TokenKey, _ cached: Entry, notBefore: Date, fetch: @escaping Fetch) {
        let (task, started) = shared(key, refused: nil, notBefore: notBefore, fetch: fetch)
        guard started else { return }
        Task {
            guard case .failure = await task.result else { return }
            let pause = failures.withLock { $0[key]?.until.timeIntervalSince(clock.now()) } ?? 0
            let retryAt = clock.now().addingTimeInterval(max(pause, Self.backgroundRetryPause))
            memory.withLock { entries in
                if var entry = entries[key], entry.version == cached.version {
                    entry.refreshAt = min(retryAt, entry.expiresAt)
                    entries[key] = entry
                }
            }
        }
    }

    /// How long a failed refresh in the last 10 % waits before the next one.
    static let backgroundRetryPause: TimeInterval = 5

    /// The one refresh in flight for `key`, started if there is none; whether this call started it.
    private func shared(
        _ key: TokenKey, refused: Int64?, notBefore: Date, fetch: @escaping Fetch
    ) -> (task: Task<Entry, any Error>, started: Bool) {
        inFlight.withLock { tasks in
            if let task = tasks[key] { return (task, false) }
            let task = Task {
                defer { self.inFlight.withLock { _ = $0.removeValue(forKey: key) } }
                var entry: Entry
                do {
                    entry = try await self.obtain(key, refused: refused, fetch: fetch)
                } catch {
                    self.recordFailure(key, error)
                    throw error
                }
                entry.stamp = notBefore
                self.failures.withLock { _ = $0.removeValue(forKey: key) }
                self.memory.withLock { $0[key] = entry }
                return entry
            }
            tasks[key] = task
            return (task, true)
        }
    }

    /// Keeps `error` for `key` for as long as ``pause(after:consecutive:)`` says.
    private func recordFailure(_ key: TokenKey, _ error: any Error) {
        let now = clock.now()
        failures.withLock { entries in
            let consecutive = (entries[key]?.consecutive ?? 0) + 1
            guard let pause = Self.pause(after: error, consecutive: consecutive) else {
                entries[key] = nil
                return
            }
            entries[key] = FetchFailure(error: error, until: now.addingTimeInterval(pause.seconds), consecutive: consecutive)
        }
    }

    /// What the locked re-read decided.
    private enum Claim: Sendable {
        case fresh(TokenStore.Row)
        case wait(version: Int64)
        case fetch(TokenStore.Row)
    }

    /// A fresh token for `key` from the database or, holding the lease, from the provider.
    /// - Parameter refused: The version whose token the provider refused, if that is why.
    private func obtain(_ key: TokenKey, refused: Int64?, fetch: @escaping Fetch) async throws -> Entry {
        let store = store
        if let row = try await database.withConnection({ work in try await store.row(key, in: work) }),
            row.version != refused, row.isFresh(at: clock.now())
        {
            return try entry(key, row)
        }
        while true {
            let now = clock.now()
            let owner = owner
            let until = now.addingTimeInterval(configuration.leaseDuration.seconds)
            let claim = try await database.transaction { work -> Claim in
                try await store.ensure(key, in: work)
                guard var row = try await store.locked(key, in: work) else { throw YizhanError(.internalError, "The token row vanished.") }
                if let refused, row.version == refused, !row.sealedToken.isEmpty, row.refreshAt > Date(timeIntervalSince1970: 0) {
                    try await store.markRefused(key, version: refused, in: work)
                    row.refreshAt = Date(timeIntervalSince1970: 0)
                }
                if row.isFresh(at: now) { return .fresh(row) }
                if row.isLeased(at: now, by: owner) { return .wait(version: row.version) }
                try await store.lease(key, to: owner, until: until, in: work)
                return .fetch(row)
            }
            switch claim {
            case .fresh(let row):
                return try entry(key, row)
            case .wait(let version):
                if let row = try await waitForNewer(key, than: version) { return try entry(key, row) }
            case .fetch(let row):
                let previous = row.sealedToken.isEmpty ? nil : try? entry(key, row)
                if let entry = try await fetchAndStore(
                    key, expectedVersion: row.version, previous: previous, afterRefusal: refused == row.version, fetch: fetch)
                {
                    return entry
                }
            }
        }
    }

    /// Polls the row while another process holds the lease: the newer token once it is written,
    /// nil when the lease ended without one (then the caller claims again).
    private func waitForNewer(_ key: TokenKey, than version: Int64) async throws -> TokenStore.Row? {
        var pause = configuration.firstPoll
        let store = store
        while true {
            try await Task.sleep(for: pause)
            pause = min(pause * 2, configuration.longestPoll)
            guard let row = try await database.withConnection({ work in try await store.row(key, in: work) }) else { return nil }
            let now = clock.now()
            if row.version > version, row.isFresh(at: now) { return row }
            if !row.isLeased(at: now, by: owner) { return nil }
        }
    }

    /// Fetches with the lease held and writes the token if the row is still at `expectedVersion`;
    /// when a newer one was written meanwhile, that one (nil if it is stale too).
    /// - Parameters:
    ///   - previous: The token the row held when the lease was taken, if it opens.
    ///   - afterRefusal: Whether that token is the one the provider refused.
    private func fetchAndStore(
        _ key: TokenKey, expectedVersion: Int64, previous: Entry?, afterRefusal: Bool, fetch: @escaping Fetch
    ) async throws -> Entry? {
        let store = store
        let owner = owner
        let fetched: FetchedToken
        // The provider's lifetime counts from its answer; counting from the request is the safe side.
        let requestedAt = clock.now()
        do {
            fetched = try await withDeadline(configuration.fetchDeadline, onTimeout: { [configuration] in
                Self.noAnswer(key, within: configuration.fetchDeadline)
            }, fetch)
        } catch {
            let code = Self.providerCode(of: error)
            observer?.fetchFailed(key.kind, providerCode: code)
            // The kits' and Yizhan's errors carry the provider's code and message, never a secret
            // or a token; the key names the app and kind only.
            var metadata: Logger.Metadata = ["token": "\(key)", "provider": "\(key.kind.provider.rawValue)", "error": "\(error)"]
            if let code { metadata["provider_code"] = "\(code)" }
            logger.warning("token fetch failed", metadata: metadata)
            try? await database.transaction { work in try await store.release(key, owner: owner, in: work) }
            throw error
        }
        observer?.fetched(key.kind)
        guard (1...Self.longestToken).contains(fetched.token.utf8.count) else {
            try? await database.transaction { work in try await store.release(key, owner: owner, in: work) }
            throw YizhanError(.serviceUnavailable, "The provider answered a token of \(fetched.token.utf8.count) bytes; it is not used.")
        }
        let obtainedAt = clock.now()
        // A lifetime past a week is not a provider's (theirs are two hours): a week at most.
        let lifetime = TimeInterval(min(max(0, fetched.expiresIn), Self.longestLifetime))
        // WeCom answers a fetch within a token's life with the same token and the seconds it has
        // left: asking again before then would only get it back again, so such a token is used to
        // its end, and the fetch after that gets a new one.
        let handedBack = previous?.token == fetched.token
        let expiresAt = requestedAt.addingTimeInterval(handedBack ? lifetime : lifetime - Self.expiryMargin(lifetime))
        let refreshAt = handedBack ? expiresAt : requestedAt.addingTimeInterval(lifetime * configuration.refreshFraction)
        let sealed = try seal(fetched.token, key)
        let written = try await database.transaction { work in
            try await store.write(
                key, sealedToken: sealed, obtainedAt: obtainedAt, refreshAt: refreshAt, expiresAt: expiresAt,
                expectedVersion: expectedVersion, in: work)
        }
        if let written {
            logger.debug("token fetched", metadata: ["token": "\(key)", "version": "\(written)", "expires_in": "\(fetched.expiresIn)"])
            var entry = Entry(token: fetched.token, version: written, refreshAt: refreshAt, expiresAt: expiresAt)
            if afterRefusal && handedBack {
                // Lark hands its tenant and app tokens back while 30 minutes are left: the token
                // is good and the call that refused it refuses this kind of token.
                entry.handedBackAfterRefusal = true
                logger.notice("the provider handed back the token a call refused: that call's refusal is the API's", metadata: ["token": "\(key)"])
            }
            return entry
        }
        // Another process took the lease over and wrote first: its token stays.
        guard let row = try await database.withConnection({ work in try await store.row(key, in: work) }),
            row.isFresh(at: clock.now())
        else { return nil }
        return try entry(key, row)
    }

    /// A fetch that outlived ``TokenPoolConfiguration/fetchDeadline``: retryable, as a provider
    /// that does not answer is.
    static func noAnswer(_ key: TokenKey, within deadline: Duration) -> YizhanError {
        YizhanError.providerFailure(
            key.kind.provider == .wecom ? "WeCom" : "Lark", code: 0, message: "no token within \(deadline)", category: .retryable)
    }

    /// The longest token kept, in UTF-8 bytes (Lark's and WeCom's are under 200).
    static let longestToken = 4096
    /// The longest lifetime believed, in seconds: a week.
    static let longestLifetime = 7 * 24 * 3600

    /// How much earlier than the provider says a token is taken for expired: 5 % of its life, at
    /// most 3 minutes (lark-oapi takes 10 minutes off, oapi-sdk-go 3), for latency and clocks.
    static func expiryMargin(_ lifetime: TimeInterval) -> TimeInterval { min(lifetime * 0.05, 180) }

    private func entry(_ key: TokenKey, _ row: TokenStore.Row) throws -> Entry {
        Entry(token: try open(row.sealedToken, key), version: row.version, refreshAt: row.refreshAt, expiresAt: row.expiresAt)
    }

    func seal(_ token: String, _ key: TokenKey) throws -> String {
        guard let vault else { throw Self.noMasterKey }
        do { return try vault.seal(token, purpose: key.purpose) } catch {
            throw YizhanError(.internalError, "The token could not be sealed.")
        }
    }

    func open(_ sealed: String, _ key: TokenKey) throws -> String {
        guard let vault else { throw Self.noMasterKey }
        do { return try vault.open(sealed, purpose: key.purpose) } catch SecretVaultError.unknownKey(let keyID) {
            throw YizhanError(
                .masterKeyMissing, "A stored token was sealed under master key \(keyID), which is not configured here.",
                details: ["key_id": .string(keyID)])
        } catch {
            throw YizhanError(.masterKeyMissing, "A stored token cannot be opened with the configured master keys.")
        }
    }

    private static let noMasterKey = YizhanError(
        .masterKeyMissing, "No master key is configured, so provider tokens cannot be stored. Make one with `yizhan keys generate`.")
}
