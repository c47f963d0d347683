import Foundation
import SQLKit
import Testing
import YizhanCore
@testable import YizhanIdentity
import YizhanStorage
import YizhanTesting

@Suite(.timeLimit(.minutes(3)))
struct QuotaAndKeyTests {
    @Test(arguments: TestEngines.all)
    func fiftyConcurrentConsumersNeverExceedTheDailyQuota(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, test in
            let pooled = try test.open(poolSize: 10)
            try await pooled.whileRunning {
                let fixture = IdentityFixture(database: pooled)
                let (tenant, _) = try await fixture.tenant("acme", quotas: .init(maxDailyMessages: 37))
                let outcomes = try await withThrowingTaskGroup(of: Bool.self) { group in
                    for _ in 0..<50 {
                        group.addTask {
                            do {
                                try await fixture.identity.quotas.consume(tenantID: tenant.id, .dailyMessages)
                                return true
                            } catch let error as YizhanError where error.code == .quotaExceeded {
                                return false
                            }
                        }
                    }
                    return try await group.reduce(into: [Bool]()) { $0.append($1) }
                }
                #expect(outcomes.filter { $0 }.count == 37)
                #expect(try await fixture.identity.quotas.usage(tenantID: tenant.id, .dailyMessages) == 37)
                let error = await yizhanError { try await fixture.identity.quotas.consume(tenantID: tenant.id, .dailyMessages, 1) }
                #expect(error?.code == .quotaExceeded)
                #expect(error?.details["limit"] == .int(37))
                #expect(error?.details["reset_at"] != nil)
                #expect(error?.headers["Retry-After"] != nil)
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func aConsumeLargerThanWhatIsLeftCountsNothing(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, _ in
            let fixture = IdentityFixture(database: database)
            let (tenant, _) = try await fixture.tenant("acme", quotas: .init(maxDailyMessages: 10))
            try await fixture.identity.quotas.consume(tenantID: tenant.id, .dailyMessages, 8)
            #expect(await yizhanError { try await fixture.identity.quotas.consume(tenantID: tenant.id, .dailyMessages, 3) }?.code == .quotaExceeded)
            #expect(try await fixture.identity.quotas.usage(tenantID: tenant.id, .dailyMessages) == 8)
            try await fixture.identity.quotas.consume(tenantID: tenant.id, .dailyMessages, 2)
            fixture.clock.advance(by: .seconds(86_400))
            try await fixture.identity.quotas.consume(tenantID: tenant.id, .dailyMessages, 10)
        }
    }

    @Test(arguments: TestEngines.all)
    func apiKeyIsShownOnceStoredHashedAndRevocable(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, _ in
            let fixture = IdentityFixture(database: database)
            _ = try await fixture.tenant("acme")
            let (_, owner) = try await fixture.login("acme", "owner@acme.test")
            let (key, secret) = try await fixture.identity.apiKeys.create(by: owner, name: "ci", permissions: ["messages:send", "users:read"], expiresAt: nil)
            #expect(secret.hasPrefix("yz_"))
            #expect(secret.hasPrefix(key.prefix))
            let stored = try await database.withConnection { sql in
                try await sql.raw("SELECT key_hash FROM api_keys WHERE id = \(bind: key.id)").first()?.decode(column: "key_hash", as: String.self)
            }
            #expect(stored == OpaqueSecret.hash(secret))
            #expect(stored != secret)
            let principal = try await fixture.identity.principals.resolve(secret)
            #expect(principal.permissions == [.messagesSend, .usersRead])
            _ = try await fixture.identity.apiKeys.revoke(id: key.id, by: owner)
            // The revocation clears this process's cache when it commits: no second of grace.
            #expect(await yizhanError { _ = try await fixture.identity.principals.resolve(secret) }?.code == .unauthorized)
        }
    }

    @Test(arguments: TestEngines.all)
    func apiKeyCannotExceedItsCreatorOrOutliveItsExpiry(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, _ in
            let fixture = IdentityFixture(database: database)
            _ = try await fixture.tenant("acme")
            let (_, owner) = try await fixture.login("acme", "owner@acme.test")
            _ = try await fixture.identity.users.create(by: owner, email: "v@x.test", password: "viewer's password", name: "V", roles: ["viewer"])
            let (_, viewer) = try await fixture.login("acme", "v@x.test", password: "viewer's password")
            let beyond = await yizhanError { _ = try await fixture.identity.apiKeys.create(by: viewer, name: "k", permissions: ["users:write"], expiresAt: nil) }
            #expect(beyond?.code == .forbidden)
            let past = await yizhanError { _ = try await fixture.identity.apiKeys.create(by: owner, name: "k", permissions: ["users:read"], expiresAt: fixture.clock.now().addingTimeInterval(-1)) }
            #expect(past?.code == .validationError)
            #expect(past?.httpStatus == 422)
            let (_, secret) = try await fixture.identity.apiKeys.create(by: owner, name: "k", permissions: ["users:read"], expiresAt: fixture.clock.now().addingTimeInterval(3))
            _ = try await fixture.identity.principals.resolve(secret)
            fixture.clock.advance(by: .milliseconds(4200))
            #expect(await yizhanError { _ = try await fixture.identity.principals.resolve(secret) }?.code == .unauthorized)
        }
    }

    @Test(arguments: TestEngines.all)
    func concurrentLoginAttemptsAreEachCountedBeforeAnyPasswordCheck(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, test in
            let pooled = try test.open(poolSize: 10)
            try await pooled.whileRunning {
                let throttle = LoginThrottleStore()
                let now = Date()
                let keys = ["account:acme/x@acme.test", "address:192.0.2.1"]
                let admissions = try await withThrowingTaskGroup(of: LoginThrottleStore.Admission.self) { group in
                    for _ in 0..<20 {
                        group.addTask { try await pooled.transaction { work in try await throttle.admit(keys, now: now, in: work) } }
                    }
                    return try await group.reduce(into: []) { $0.append($1) }
                }
                // Five free attempts, the sixth locks the account; the other fourteen are refused unchecked.
                let admitted = admissions.filter { if case .admitted = $0 { true } else { false } }
                #expect(admitted.count == LoginThrottleStore.freeFailures + 1)
                let firstRefusals = admissions.filter { if case .refused(_, true) = $0 { true } else { false } }
                #expect(firstRefusals.count == 1)
                let rows = try await pooled.withConnection { work in
                    try await work.raw("SELECT key, failures, refused FROM login_throttle ORDER BY key").all()
                }
                #expect(try rows.map { try $0.decode(column: "failures", as: Int.self) } == [6, 6])
                #expect(try rows.map { try $0.decode(column: "refused", as: Int.self) } == [14, 0])
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func aSuccessClearsTheAccountButNotTheAddressAndIdleCountersDecay(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, _ in
            let throttle = LoginThrottleStore()
            let start = Date()
            let keys = ["account:acme/x@acme.test", "address:192.0.2.1"]
            for _ in 0..<3 { _ = try await database.transaction { try await throttle.admit(keys, now: start, in: $0) } }
            try await database.transaction { try await throttle.succeeded(keys, in: $0) }
            let failures = { @Sendable () async throws -> [String: Int] in
                try await database.withConnection { work in
                    try await work.raw("SELECT key, failures FROM login_throttle").all().reduce(into: [:]) {
                        $0[try $1.decode(column: "key", as: String.self)] = try $1.decode(column: "failures", as: Int.self)
                    }
                }
            }
            #expect(try await failures() == ["address:192.0.2.1": 3])  // a success buys no more guesses
            let later = start.addingTimeInterval(LoginThrottleStore.decayAfter.seconds + 1)
            _ = try await database.transaction { try await throttle.admit(keys, now: later, in: $0) }
            #expect(try await failures() == ["account:acme/x@acme.test": 1, "address:192.0.2.1": 1])
        }
    }

    @Test
    func rateLimiterRefillsAtTheConfiguredRate() {
        let clock = ManualTimeSource()
        let limiter = RateLimiter(perSecond: 10, burst: 3, clock: clock)
        #expect((0..<3).allSatisfy { _ in limiter.take("k").allowed })
        let refused = limiter.take("k")
        #expect(!refused.allowed)
        #expect(refused.retryAfterSeconds == 1)
        #expect(limiter.take("other").allowed)
        clock.advance(by: .milliseconds(110))
        #expect(limiter.take("k").allowed)
        clock.advance(by: .milliseconds(10))
        #expect(!limiter.take("k").allowed)
    }

    @Test
    func rateLimiterMemoryStaysBoundedAndIdleBucketsGoFirst() {
        let clock = ManualTimeSource()
        let limiter = RateLimiter(perSecond: 10, burst: 3, clock: clock, bucketLimit: 100)
        for index in 0..<100 { _ = limiter.take("idle-\(index)") }
        clock.advance(by: .seconds(1))  // every bucket has refilled: its key is idle
        _ = limiter.take("busy")
        #expect(limiter.bucketCount == 1)
        for index in 0..<1_000 { _ = limiter.take("flood-\(index)") }
        #expect(limiter.bucketCount <= 100)
    }
}
