import Foundation
import SQLKit
import Synchronization
import Testing
import YizhanCore
import YizhanCredentials
import YizhanStorage
import YizhanTesting

/// The token pool's rules with a counting fetch in place of the provider, on both engines: one
/// fetch per expiry for every caller of every pool on the database, a refused token replaced once.
@Suite(.timeLimit(.minutes(2)))
struct TokenPoolTests {
    @Test(arguments: TestEngines.all)
    func aThousandCallersOnAColdPoolShareOneFetchAndTheRowIsSealed(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, _ in
            let (fixture, key) = try await Self.setUp(database)
            let fetches = FetchCounter(delay: .milliseconds(50))
            let tokens = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<1000 {
                    group.addTask { try await fixture.credentials.tokens.token(key, fetch: fetches.fetch) }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(fetches.count == 1)
            #expect(tokens == ["token-1"])
            let stored = try await database.withConnection { work in
                try await work.raw("SELECT token, version FROM provider_tokens").all()
            }
            #expect(stored.count == 1)
            let sealed = try stored[0].decode(column: "token", as: String.self)
            #expect(SecretVault.isSealed(sealed) && !sealed.contains("token-1"))
            #expect(try stored[0].decode(column: "version", as: Int64.self) == 1)
        }
    }

    @Test(arguments: TestEngines.all)
    func aRestartedServerUsesTheStoredTokenWithoutFetching(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, _ in
            let clock = ManualTimeSource()
            let (fixture, key) = try await Self.setUp(database, clock: clock)
            let fetches = FetchCounter()
            #expect(try await fixture.credentials.tokens.token(key, fetch: fetches.fetch) == "token-1")
            clock.advance(by: .seconds(3600))
            let restarted = try CredentialsFixture(database: database, clock: clock)
            #expect(try await restarted.credentials.tokens.token(key, fetch: fetches.fetch) == "token-1")
            #expect(fetches.count == 1)
            // In the last 10 % of its life, it is refreshed once.
            clock.advance(by: .seconds(3000))
            #expect(try await restarted.credentials.tokens.token(key, fetch: fetches.fetch) == "token-1")
            try await Self.eventually { try await restarted.credentials.tokens.token(key, fetch: fetches.fetch) == "token-2" }
            #expect(try await fixture.credentials.tokens.token(key, fetch: fetches.fetch) == "token-1")  // still valid in its memory
            await fixture.credentials.tokens.settle()
            #expect(try await fixture.credentials.tokens.token(key, fetch: fetches.fetch) == "token-2")  // its refresh found the stored one
            #expect(fetches.count == 2)
        }
    }

    @Test(arguments: TestEngines.all)
    func twoPoolsOnTwoConnectionPoolsFetchOncePerExpiry(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, test in
            let clock = ManualTimeSource()
            let (first, key) = try await Self.setUp(database, clock: clock)
            let other = try test.open()
            try await other.whileRunning {
                let second = try CredentialsFixture(database: other, clock: clock)
                let fetches = FetchCounter(delay: .milliseconds(30))
                for expiry in 1...3 {
                    let tokens = try await withThrowingTaskGroup(of: String.self) { group in
                        for caller in 0..<200 {
                            let pool = caller % 2 == 0 ? first.credentials.tokens : second.credentials.tokens
                            group.addTask { try await pool.token(key, fetch: fetches.fetch) }
                        }
                        return try await group.reduce(into: Set<String>()) { $0.insert($1) }
                    }
                    #expect(tokens == ["token-\(expiry)"])
                    #expect(fetches.count == expiry)
                    clock.advance(by: .seconds(7200))
                }
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func aRefusedTokenIsReplacedOnceForEveryCallerAndEveryPool(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, test in
            let (first, key) = try await Self.setUp(database)
            let other = try test.open()
            try await other.whileRunning {
                let second = try CredentialsFixture(database: other)
                let fetches = FetchCounter(delay: .milliseconds(30))
                let pools = [first.credentials.tokens, second.credentials.tokens]
                #expect(try await pools[0].token(key, fetch: fetches.fetch) == "token-1")
                #expect(try await pools[1].token(key, fetch: fetches.fetch) == "token-1")
                // Every caller of both pools saw token-1 refused: one fetch replaces it.
                let tokens = try await withThrowingTaskGroup(of: String.self) { group in
                    for caller in 0..<400 {
                        let pool = pools[caller % 2]
                        group.addTask {
                            pool.invalidate("token-1", for: key)
                            return try await pool.token(key, fetch: fetches.fetch)
                        }
                    }
                    return try await group.reduce(into: Set<String>()) { $0.insert($1) }
                }
                #expect(tokens == ["token-2"])
                #expect(fetches.count == 2)
                // A late report of the old token changes nothing.
                pools[1].invalidate("token-1", for: key)
                #expect(try await pools[1].token(key, fetch: fetches.fetch) == "token-2")
                #expect(fetches.count == 2)
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func anOlderTokenNeverOverwritesANewerOne(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, _ in
            let clock = ManualTimeSource()
            let (first, key) = try await Self.setUp(database, clock: clock)
            let second = try CredentialsFixture(database: database, clock: clock)
            let gate = Gate()
            // The first pool takes the lease and hangs in its fetch past the lease.
            let slow = Task {
                try await first.credentials.tokens.token(key) {
                    await gate.wait()
                    return FetchedToken(token: "older", expiresIn: 7200)
                }
            }
            try await Self.eventually {
                try await database.withConnection { work in
                    try await work.raw("SELECT lease_owner FROM provider_tokens").first()?.decode(column: "lease_owner", as: String?.self)
                } != nil
            }
            clock.advance(by: .seconds(31))
            let newer = try await second.credentials.tokens.token(key) { FetchedToken(token: "newer", expiresIn: 7200) }
            #expect(newer == "newer")
            await gate.open()
            #expect(try await slow.value == "newer")
            let version = try await database.withConnection { work in
                try await work.raw("SELECT version FROM provider_tokens").first()?.decode(column: "version", as: Int64.self)
            }
            #expect(version == 1)
        }
    }

    @Test(arguments: TestEngines.all)
    func aFailedFetchReachesEveryWaiterAndTheNextCallAfterAPauseTriesAgain(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, _ in
            let clock = ManualTimeSource(start: Date())
            let (fixture, key) = try await Self.setUp(database, clock: clock)
            let fetches = FetchCounter(delay: .milliseconds(20), failFirst: true)
            let failures = await withTaskGroup(of: Bool.self) { group in
                for _ in 0..<50 {
                    group.addTask { (try? await fixture.credentials.tokens.token(key, fetch: fetches.fetch)) == nil }
                }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(failures == 50 && fetches.count == 1)
            // Within the pause (a second after a first failure) the provider is not asked again.
            await #expect(throws: YizhanError.self) { try await fixture.credentials.tokens.token(key, fetch: fetches.fetch) }
            #expect(fetches.count == 1)
            clock.advance(by: .seconds(2))
            #expect(try await fixture.credentials.tokens.token(key, fetch: fetches.fetch) == "token-2")
        }
    }

    @Test(arguments: TestEngines.all)
    func aNewSecretOrBaseURLDropsTheAppsTokens(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, _ in
            let (fixture, key) = try await Self.setUp(database)
            let fetches = FetchCounter()
            #expect(try await fixture.credentials.tokens.token(key, fetch: fetches.fetch) == "token-1")
            let app = try await Self.app(fixture, key)
            _ = try await fixture.credentials.apps.update(id: app.id, tenantID: app.tenantID, AppChanges(name: "renamed"))
            #expect(try await fixture.credentials.tokens.token(key, fetch: fetches.fetch) == "token-1")
            _ = try await fixture.credentials.apps.update(
                id: app.id, tenantID: app.tenantID, AppChanges(secrets: ["app_secret": "ANOTHERsecret"]))
            let rows = try await database.withConnection { work in try await work.raw("SELECT version FROM provider_tokens").all() }
            #expect(rows.isEmpty)
            #expect(try await fixture.credentials.tokens.token(key, fetch: fetches.fetch) == "token-2")
            _ = try await fixture.credentials.apps.delete(id: app.id, tenantID: app.tenantID)
            let left = try await database.withConnection { work in try await work.raw("SELECT version FROM provider_tokens").all() }
            #expect(left.isEmpty)
        }
    }

    // MARK: Helpers

    static func app(_ fixture: CredentialsFixture, _ key: TokenKey) async throws -> ProviderApp {
        let row = try await fixture.database.withConnection { work in
            try await work.raw("SELECT tenant_id FROM apps WHERE id = \(bind: key.appID)").first()
        }
        let tenantID = try #require(row).decode(column: "tenant_id", as: String.self)
        return try await fixture.credentials.apps.app(id: key.appID, tenantID: tenantID)
    }

    static func setUp(_ database: any Database, clock: any TimeSource = SystemTimeSource()) async throws -> (CredentialsFixture, TokenKey) {
        let fixture = try CredentialsFixture(database: database, clock: clock)
        let tenant = try await fixture.tenant("acme")
        let app = try await fixture.credentials.apps.create(SampleApps.lark, tenantID: tenant)
        return (fixture, TokenKey(appID: app.id, kind: .larkTenant))
    }

    /// Waits (briefly, in real time) until `condition` holds.
    static func eventually(_ condition: @Sendable () async throws -> Bool) async throws {
        for _ in 0..<500 {
            if try await condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("the condition never held")
    }
}

/// A provider stand-in: counts fetches and answers `token-<n>`, living 7200 s.
final class FetchCounter: Sendable {
    private let fetches = Mutex(0)
    private let delay: Duration
    private let failFirst: Bool

    init(delay: Duration = .zero, failFirst: Bool = false) {
        self.delay = delay
        self.failFirst = failFirst
    }

    var count: Int { fetches.withLock { $0 } }

    var fetch: TokenPool.Fetch {
        { [self] in
            let number = fetches.withLock { count in
                count += 1
                return count
            }
            if delay > .zero { try await Task.sleep(for: delay) }
            if failFirst && number == 1 { throw YizhanError(.serviceUnavailable, "the provider is down") }
            return FetchedToken(token: "token-\(number)", expiresIn: 7200)
        }
    }
}

/// Holds a fetch until the test opens it.
actor Gate {
    private var isOpen = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func wait() async {
        if isOpen { return }
        await withCheckedContinuation { waiters.append($0) }
    }

    func open() {
        isOpen = true
        for waiter in waiters { waiter.resume() }
        waiters = []
    }
}
