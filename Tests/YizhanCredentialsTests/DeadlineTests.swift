import Foundation
import ProviderKitSupport
import Synchronization
import Testing
import YizhanCore
import YizhanCredentials
import YizhanStorage
import YizhanTesting

/// Waits on providers end when they are meant to: ``withDeadline(_:onTimeout:_:)`` answers at its
/// deadline even when the work ignores cancellation, and a cancelled caller of the token pool stops
/// waiting while the fetch it shared goes on for the others.
@Suite(.timeLimit(.minutes(2)))
struct DeadlineTests {
    struct TimedOut: Error {}

    @Test
    func theDeadlineAnswersWhileTheWorkIgnoresCancellation() async throws {
        let gate = Gate()
        let finished = Mutex(false)
        await #expect(throws: TimedOut.self) {
            try await withDeadline(.milliseconds(200), onTimeout: { TimedOut() }) {
                // Stuck until the test opens the gate, which it does only after the deadline answered.
                await gate.wait()
                finished.withLock { $0 = true }
                return 1
            }
        }
        #expect(finished.withLock { $0 } == false)
        await gate.open()
    }

    @Test
    func workThatEndsFirstGivesItsValueOrItsError() async throws {
        #expect(try await withDeadline(.seconds(60), onTimeout: { TimedOut() }) { 42 } == 42)
        struct Refused: Error {}
        await #expect(throws: Refused.self) {
            try await withDeadline(.seconds(60), onTimeout: { TimedOut() }) { () async throws -> Int in throw Refused() }
        }
    }

    @Test
    func aCancelledCallerIsAnsweredAtOnce() async throws {
        let gate = Gate()
        let started = Gate()
        let caller = Task {
            try await withDeadline(.seconds(60), onTimeout: { TimedOut() }) {
                await started.open()
                await gate.wait()
                return 1
            }
        }
        await started.wait()
        caller.cancel()
        await #expect(throws: CancellationError.self) { try await caller.value }
        await gate.open()
    }

    @Test(arguments: TestEngines.all)
    func aCancelledWaiterStopsWaitingWhileTheSharedFetchGoesOnForTheOthers(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, _ in
            let (fixture, key) = try await TokenPoolTests.setUp(database)
            let pool = fixture.credentials.tokens
            let fetching = Gate()
            let answer = Gate()
            let fetches = Mutex(0)
            let slow: TokenPool.Fetch = {
                fetches.withLock { $0 += 1 }
                await fetching.open()
                await answer.wait()
                return FetchedToken(token: "shared-token", expiresIn: 7200)
            }
            let leaving = Task { try await pool.token(key, fetch: slow) }
            let staying = Task { try await pool.token(key, fetch: slow) }
            await fetching.wait()
            leaving.cancel()
            // The provider has not answered yet: the cancelled caller is answered without it.
            await #expect(throws: CancellationError.self) { try await leaving.value }
            await answer.open()
            #expect(try await staying.value == "shared-token")
            #expect(try await pool.token(key, fetch: slow) == "shared-token")
            #expect(fetches.withLock { $0 } == 1)
        }
    }
}
