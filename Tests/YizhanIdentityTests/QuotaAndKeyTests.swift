import Foundation
import SQLKit
import Testing
import YizhanCore
import YizhanIdentity
import YizhanStorage
import YizhanTesting

@Suite(.timeLimit(.minutes(3)))
struct QuotaAndKeyTests {
    @Test(arguments: TestEngines.all)
    func fiftyConcurrentConsumersNeverExceedTheDailyQuota(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database, test in
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
        try await TestDatabase.with(engine) { database, _ in
            let fixture = IdentityFixture(database: database)
            let (tenant, _) = try await fixture.tenant("acme", quotas: .init(maxDailyMessages: 10))
            try await fixture.identity.quotas.consume(tenantID: tenant.id, .dailyMessages, 8)
            #expect(await yizhanError { try await fixture.identity.quotas.consume(tenantID: tenant.id, .dailyMessages, 3) }?.code == .quotaExceeded)
            #expect(try await fixture.identity.quotas.usage(tenantID: tenant.id, .dailyMessages) == 8)
            try await fixture.identity.quotas.consume(tenantID: tenant.id, .dailyMessages, 2)
            let tomorrow = Date().addingTimeInterval(86_400)
            try await fixture.identity.quotas.consume(tenantID: tenant.id, .dailyMessages, 10, now: tomorrow)
        }
    }

    @Test(arguments: TestEngines.all)
    func apiKeyIsShownOnceStoredHashedAndRevocable(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
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
            try await Task.sleep(for: .milliseconds(1100))
            #expect(await yizhanError { _ = try await fixture.identity.principals.resolve(secret) }?.code == .unauthorized)
        }
    }

    @Test(arguments: TestEngines.all)
    func apiKeyCannotExceedItsCreatorOrOutliveItsExpiry(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let fixture = IdentityFixture(database: database)
            _ = try await fixture.tenant("acme")
            let (_, owner) = try await fixture.login("acme", "owner@acme.test")
            _ = try await fixture.identity.users.create(by: owner, email: "v@x.test", password: "viewer's password", name: "V", roles: ["viewer"])
            let (_, viewer) = try await fixture.login("acme", "v@x.test", password: "viewer's password")
            let beyond = await yizhanError { _ = try await fixture.identity.apiKeys.create(by: viewer, name: "k", permissions: ["users:write"], expiresAt: nil) }
            #expect(beyond?.code == .forbidden)
            let past = await yizhanError { _ = try await fixture.identity.apiKeys.create(by: owner, name: "k", permissions: ["users:read"], expiresAt: Date().addingTimeInterval(-1)) }
            #expect(past?.code == .validationError)
            #expect(past?.httpStatus == 422)
            let (_, secret) = try await fixture.identity.apiKeys.create(by: owner, name: "k", permissions: ["users:read"], expiresAt: Date().addingTimeInterval(3))
            _ = try await fixture.identity.principals.resolve(secret)
            try await Task.sleep(for: .milliseconds(4200))
            #expect(await yizhanError { _ = try await fixture.identity.principals.resolve(secret) }?.code == .unauthorized)
        }
    }

    @Test(arguments: TestEngines.all)
    func concurrentLoginFailuresAreAllCounted(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database, test in
            let pooled = try test.open(poolSize: 10)
            try await pooled.whileRunning {
                let throttle = LoginThrottleStore(database: pooled)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    for _ in 0..<20 { group.addTask { try await throttle.recordFailure(["account:acme/x@acme.test"]) } }
                    try await group.waitForAll()
                }
                let failures = try await pooled.withConnection { sql in
                    try await sql.raw("SELECT failures FROM login_throttle WHERE key = 'account:acme/x@acme.test'").first()?
                        .decode(column: "failures", as: Int.self)
                }
                #expect(failures == 20)
                #expect(try await throttle.lockedUntil(["account:acme/x@acme.test", "address:192.0.2.1"]) != nil)
                #expect(try await throttle.lockedUntil(["address:192.0.2.1"]) == nil)
            }
        }
    }

    @Test
    func rateLimiterRefillsAtTheConfiguredRate() {
        let limiter = RateLimiter(perSecond: 10, burst: 3)
        let start = ContinuousClock.now
        #expect((0..<3).allSatisfy { _ in limiter.take("k", now: start).allowed })
        let refused = limiter.take("k", now: start)
        #expect(!refused.allowed)
        #expect(refused.retryAfterSeconds == 1)
        #expect(limiter.take("other", now: start).allowed)
        #expect(limiter.take("k", now: start + .milliseconds(110)).allowed)
        #expect(!limiter.take("k", now: start + .milliseconds(120)).allowed)
    }
}
