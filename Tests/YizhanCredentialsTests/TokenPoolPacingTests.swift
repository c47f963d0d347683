import Foundation
import LarkKit
import Synchronization
import Testing
import WeComKit
import YizhanCore
import YizhanCredentials
import YizhanStorage
import YizhanTesting

/// How often the pool asks a provider: after a refusal, a pause instead of a fetch per call; a
/// token handed back again within its life is used to its end; an implausible answer is not kept.
/// Both engines, with a scripted provider and a manual clock.
@Suite(.timeLimit(.minutes(2)))
struct TokenPoolPacingTests {
    @Test(arguments: TestEngines.all)
    func aRefusedSecretIsAskedAboutOnceAPauseNotOnEveryCall(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, _ in
            let clock = ManualTimeSource(start: Date())
            let (fixture, key) = try await TokenPoolTests.setUp(database, clock: clock)
            let fetches = Mutex(0)
            let refuse: TokenPool.Fetch = {
                fetches.withLock { $0 += 1 }
                throw LarkError(category: .permanent, code: 10015, message: "app secret invalid")
            }
            let pool = fixture.credentials.tokens
            let codes = await withTaskGroup(of: Int?.self) { group in
                for _ in 0..<200 {
                    group.addTask {
                        do { _ = try await pool.token(key, fetch: refuse); return nil } catch { return (error as? LarkError)?.code }
                    }
                }
                return await group.reduce(into: [Int?]()) { $0.append($1) }
            }
            #expect(codes.allSatisfy { $0 == 10015 })
            for _ in 0..<20 { _ = try? await pool.token(key, fetch: refuse) }
            #expect(fetches.withLock { $0 } == 1)
            clock.advance(by: .seconds(61))
            _ = try? await pool.token(key, fetch: refuse)
            #expect(fetches.withLock { $0 } == 2)
            clock.advance(by: .seconds(61))  // the second pause is two minutes
            _ = try? await pool.token(key, fetch: refuse)
            #expect(fetches.withLock { $0 } == 2)
            // New secrets are tried at once.
            let app = try await TokenPoolTests.app(fixture, key)
            _ = try await fixture.credentials.apps.update(id: app.id, tenantID: app.tenantID, AppChanges(secrets: ["app_secret": "ANOTHERsecret"]))
            _ = try? await pool.token(key, fetch: refuse)
            #expect(fetches.withLock { $0 } == 3)
        }
    }

    @Test(arguments: TestEngines.all)
    func aTokenHandedBackWithinItsLifeIsUsedToItsEndThenReplaced(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, _ in
            let clock = ManualTimeSource(start: Date())
            let (fixture, key) = try await TokenPoolTests.setUp(database, clock: clock)
            // WeCom's gettoken: within a token's 7,200 s it answers the same token and the seconds left.
            let issued = Mutex<(number: Int, at: Date)?>(nil)
            let fetches = Mutex(0)
            let wecomLike: TokenPool.Fetch = {
                fetches.withLock { $0 += 1 }
                let now = clock.now()
                return issued.withLock { current in
                    if let token = current, now.timeIntervalSince(token.at) < 7200 {
                        return FetchedToken(token: "token-\(token.number)", expiresIn: Int(7200 - now.timeIntervalSince(token.at)))
                    }
                    current = ((current?.number ?? 0) + 1, now)
                    return FetchedToken(token: "token-\(current!.number)", expiresIn: 7200)
                }
            }
            let pool = fixture.credentials.tokens
            #expect(try await pool.token(key, fetch: wecomLike) == "token-1")
            clock.advance(by: .seconds(6600))  // in the last 10 %: refreshed behind the caller
            #expect(try await pool.token(key, fetch: wecomLike) == "token-1")
            await pool.settle()
            #expect(fetches.withLock { $0 } == 2)  // the same token came back, with 600 s left
            clock.advance(by: .seconds(500))
            #expect(try await pool.token(key, fetch: wecomLike) == "token-1")
            await pool.settle()
            #expect(fetches.withLock { $0 } == 2)  // not asked again before its end
            clock.advance(by: .seconds(101))
            #expect(try await pool.token(key, fetch: wecomLike) == "token-2")
            #expect(fetches.withLock { $0 } == 3)
        }
    }

    @Test(arguments: TestEngines.all)
    func anImplausibleAnswerIsNotKeptAndAHugeLifetimeIsCappedAtAWeek(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, _ in
            let clock = ManualTimeSource(start: Date())
            let (fixture, key) = try await TokenPoolTests.setUp(database, clock: clock)
            let pool = fixture.credentials.tokens
            let huge: TokenPool.Fetch = { FetchedToken(token: String(repeating: "t", count: 5000), expiresIn: 7200) }
            await #expect(throws: YizhanError.self) { try await pool.token(key, fetch: huge) }
            clock.advance(by: .seconds(2))
            let forever: TokenPool.Fetch = { FetchedToken(token: "lasting", expiresIn: .max) }
            #expect(try await pool.token(key, fetch: forever) == "lasting")
            clock.advance(by: .seconds(8 * 24 * 3600))
            let next: TokenPool.Fetch = { FetchedToken(token: "next", expiresIn: 7200) }
            #expect(try await pool.token(key, fetch: next) == "next")
        }
    }
}
