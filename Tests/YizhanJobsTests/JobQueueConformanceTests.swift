import Foundation
import SQLKit
import Testing
@testable import YizhanJobs
import YizhanCore
import YizhanStorage
import YizhanTesting

/// The queue's behaviour, the same on both engines: enqueue, every transition, unique keys, the
/// outcomes, timeouts, rescue, pause and cancel.
@Suite(.timeLimit(.minutes(3)))
struct JobQueueConformanceTests {
    @Test(arguments: TestEngines.all)
    func aJobEnqueuedInARolledBackTransactionDoesNotExist(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: jobsMigrations) { database, _ in
            let fixture = JobsFixture(database: database)
            struct Abort: Error {}
            let queue = fixture.queue
            await #expect(throws: Abort.self) {
                try await database.transaction { work in
                    try await queue.enqueue(Echo.self, .init(text: "lost"), in: work)
                    throw Abort()
                }
            }
            #expect(try await fixture.admin.list(filter: .init(), tenantID: nil, before: nil, limit: 10).isEmpty)
            let id = try await fixture.enqueue(Echo.self, .init(text: "kept"))
            let job = try await fixture.job(id)
            #expect(job.state == .available)
            #expect(job.attempt == 0)
            #expect(job.kind == Echo.kind)
            #expect(job.args == #"{"text":"kept"}"#)
        }
    }

    @Test(arguments: TestEngines.all)
    func aBatchOfThousandsIsEnqueuedInFewStatementsSkippingHeldUniqueKeys(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: jobsMigrations) { database, _ in
            let fixture = JobsFixture(database: database)
            try await fixture.enqueue(Echo.self, .init(text: "first"), options: .init(uniqueKey: "k-7"))
            var jobs = try (0..<6_000).map { index in
                try NewJob(Echo.self, .init(text: "\(index)"), options: .init(uniqueKey: index % 1000 == 7 ? "k-\(index)" : nil))
            }
            jobs.append(try NewJob(Echo.self, .init(text: "later"), options: .init(runAt: fixture.clock.now().addingTimeInterval(60))))
            let (queue, batch) = (fixture.queue, jobs)
            let inserted = try await database.transaction { work in try await queue.enqueue(many: batch, in: work) }
            #expect(inserted == 6_000)  // 6,001 minus k-7, held by the first job
            let summary = try #require(try await fixture.admin.queueSummaries(tenantID: nil).first)
            #expect(summary.depth[.available] == 6_000)
            #expect(summary.depth[.scheduled] == 1)
        }
    }

    @Test(arguments: TestEngines.all)
    func aUniqueKeyHoldsOneNonFinalJobAndFreesWhenItIsFinal(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: jobsMigrations) { database, _ in
            let fixture = JobsFixture(database: database)
            let queue = fixture.queue
            let options = JobOptions(uniqueKey: "send:42")
            let first = try await database.transaction { try await queue.enqueue(Echo.self, .init(text: "a"), options: options, in: $0) }
            let second = try await database.transaction { try await queue.enqueue(Echo.self, .init(text: "b"), options: options, in: $0) }
            #expect(second == .duplicate(existing: first.id))
            try await fixture.running(fixture.worker()) {
                try await fixture.waitFor(first.id, state: .completed)
            }
            let third = try await database.transaction { try await queue.enqueue(Echo.self, .init(text: "c"), options: options, in: $0) }
            guard case .inserted = third else { Issue.record("the key stayed held after completion"); return }
        }
    }

    @Test(arguments: TestEngines.all)
    func uniqueKeysAreScopedByTenantAndKind(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: jobsMigrations) { database, _ in
            let fixture = JobsFixture(database: database)
            let queue = fixture.queue
            func enqueue<H: JobHandler>(_ handler: H.Type, _ args: H.Args, tenant: String?) async throws -> EnqueueResult {
                try await database.transaction { try await queue.enqueue(handler, args, options: .init(uniqueKey: "send:1", tenantID: tenant), in: $0) }
            }
            let alpha = try await enqueue(Echo.self, .init(text: "a"), tenant: "ten_alpha")
            // Another tenant's job with the same key is its own job, and learns nothing of alpha's.
            guard case .inserted = try await enqueue(Echo.self, .init(text: "b"), tenant: "ten_bravo") else {
                Issue.record("bravo's job was refused for alpha's key"); return
            }
            guard case .inserted = try await enqueue(Echo.self, .init(text: "p"), tenant: nil) else {
                Issue.record("a platform job was refused for a tenant's key"); return
            }
            guard case .inserted = try await enqueue(Scripted.self, .init(action: .cancel), tenant: "ten_alpha") else {
                Issue.record("another kind was refused for the key"); return
            }
            #expect(try await enqueue(Echo.self, .init(text: "again"), tenant: "ten_alpha") == .duplicate(existing: alpha.id))
            #expect(try await fixture.job(alpha.id).uniqueKey == "send:1")
        }
    }

    @Test(arguments: TestEngines.all)
    func anAbsurdRetryHintIsBoundedRatherThanCrashingTheWorker(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: jobsMigrations) { database, _ in
            let fixture = JobsFixture(database: database)
            let id = try await fixture.enqueue(Scripted.self, .init(action: .retryAfter, seconds: 1e15))
            let start = fixture.clock.now()
            try await fixture.running(fixture.worker()) {
                let job = try await fixture.waitFor(id, state: .retryable)
                #expect(job.runAt == start.addingTimeInterval(30 * 24 * 3600))
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func aWorkerCompletesJobsWithTheAttemptCounted(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: jobsMigrations) { database, _ in
            let fixture = JobsFixture(database: database)
            let ids = try await (0..<20).asyncMap { try await fixture.enqueue(Echo.self, .init(text: "\($0)")) }
            try await fixture.running(fixture.worker()) {
                for id in ids { try await fixture.waitFor(id) }
            }
            for id in ids {
                let job = try await fixture.job(id)
                #expect(job.state == .completed)
                #expect(job.attempt == 1)
                #expect(job.finalizedAt == fixture.clock.now())
                #expect(job.attemptedBy == "test-worker")
                #expect(job.leaseExpiresAt == nil)
            }
            #expect(fixture.log.all.count == 20)
        }
    }

    @Test(arguments: TestEngines.all)
    func aThrownErrorRetriesWithBackoffThenDiscardsKeepingEveryError(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: jobsMigrations) { database, _ in
            let fixture = JobsFixture(database: database)
            let id = try await fixture.enqueue(Scripted.self, .init(action: .fail))
            let start = fixture.clock.now()
            try await fixture.running(fixture.worker()) {
                var job = try await fixture.waitFor(id, state: .retryable)
                #expect(job.attempt == 1)
                #expect(job.runAt == start.addingTimeInterval(10))  // the handler's backoff for attempt 1
                #expect(job.errors == [JobAttemptError(at: start, attempt: 1, message: "boom")])
                fixture.clock.advance(by: .seconds(10))
                fixture.wakeups.signal("default")
                job = try await fixture.waitFor(id) { $0.state == .retryable && $0.attempt == 2 }
                #expect(job.runAt == start.addingTimeInterval(30))
                fixture.clock.advance(by: .seconds(20))
                fixture.wakeups.signal("default")
                job = try await fixture.waitFor(id, state: .discarded)
                #expect(job.attempt == 3)
                #expect(job.errors.map(\.attempt) == [1, 2, 3])
                #expect(job.finalizedAt != nil)
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func aSnoozeReschedulesWithoutCountingTheAttempt(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: jobsMigrations) { database, _ in
            let fixture = JobsFixture(database: database)
            let id = try await fixture.enqueue(Scripted.self, .init(action: .snooze, seconds: 90))
            let start = fixture.clock.now()
            try await fixture.running(fixture.worker()) {
                let job = try await fixture.waitFor(id, state: .scheduled)
                #expect(job.attempt == 0)
                #expect(job.runAt == start.addingTimeInterval(90))
                #expect(job.errors.isEmpty)
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func aRetryHintSetsTheNextRunAndKeepsTheReason(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: jobsMigrations) { database, _ in
            let fixture = JobsFixture(database: database)
            let id = try await fixture.enqueue(Scripted.self, .init(action: .retryAfter, seconds: 42))
            let start = fixture.clock.now()
            try await fixture.running(fixture.worker()) {
                let job = try await fixture.waitFor(id, state: .retryable)
                #expect(job.attempt == 1)
                #expect(job.runAt == start.addingTimeInterval(42))
                #expect(job.errors.map(\.message) == ["rate limited"])
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func aHandlerCancelEndsTheJobWithItsReason(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: jobsMigrations) { database, _ in
            let fixture = JobsFixture(database: database)
            let id = try await fixture.enqueue(Scripted.self, .init(action: .cancel))
            try await fixture.running(fixture.worker()) {
                let job = try await fixture.waitFor(id, state: .cancelled)
                #expect(job.errors.map(\.message) == ["not wanted"])
                #expect(job.finalizedAt != nil)
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func aKindNoWorkerKnowsWaitsForOneThatDoesAndUndecodableArgumentsAreDiscarded(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: jobsMigrations) { database, _ in
            let fixture = JobsFixture(database: database)
            let queue = fixture.queue
            let (newer, garbled, known) = try await database.transaction { work in
                (try await queue.enqueue(NewJob(kind: "from.a.newer.release", args: "{}"), in: work).id,
                 try await queue.enqueue(NewJob(kind: Echo.kind, args: #"{"txt":1}"#), in: work).id,
                 try await queue.enqueue(Echo.self, .init(text: "known"), in: work).id)
            }
            try await fixture.running(fixture.worker()) {
                let second = try await fixture.waitFor(garbled, state: .discarded)
                #expect(second.errors.first?.message.hasPrefix("the arguments do not decode as test.echo's") == true)
                #expect(second.attempt == 1)
                _ = try await fixture.waitFor(known, state: .completed)
            }
            // An older worker (a rolling deploy) never took the job it has no handler for.
            let waiting = try await fixture.job(newer)
            #expect(waiting.state == .available)
            #expect(waiting.attempt == 0)
            #expect(waiting.errors.isEmpty)
            #expect(fixture.log.all == ["echo known #1"])
        }
    }

    @Test(arguments: TestEngines.all)
    func aHandlerPastItsTimeoutIsCancelledAndRetried(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: jobsMigrations) { database, _ in
            let fixture = JobsFixture(database: database)
            let id = try await fixture.enqueue(Scripted.self, .init(action: .sleep, seconds: 30))
            try await fixture.running(fixture.worker()) {
                let job = try await fixture.waitFor(id, state: .retryable)
                #expect(job.errors.first?.message.contains("timeout") == true)
                #expect(job.attempt == 1)
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func theRescuerRetriesJobsOfADeadWorkerAndDiscardsThoseOnTheirLastAttempt(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: jobsMigrations) { database, _ in
            let fixture = JobsFixture(database: database)
            let retried = try await fixture.enqueue(Echo.self, .init(text: "a"))
            let last = try await fixture.enqueue(Echo.self, .init(text: "b"), options: .init(maxAttempts: 1))
            // A worker claims both, then dies.
            let (clock, store) = (fixture.clock, JobStore())
            let claimed = try await database.transaction { work in
                try await store.claim(queue: "default", kinds: fixture.registry.kinds, limit: 10, worker: "dead", now: clock.now(),
                                      leaseUntil: clock.now().addingTimeInterval(30), in: work)
            }
            #expect(claimed.map(\.id).sorted() == [retried, last])
            let rescuer = fixture.worker()
            #expect(try await rescuer.rescue() == (0, 0))  // leases still good
            fixture.clock.advance(by: .seconds(31))
            #expect(try await rescuer.rescue() == (1, 1))
            let job = try await fixture.job(retried)
            #expect(job.state == .retryable)
            #expect(job.errors.map(\.attempt) == [1])
            #expect(job.errors.first?.message.contains("lease expired") == true)
            #expect(try await fixture.job(last).state == .discarded)
            // The dead worker's late outcome changes nothing.
            let late = AttemptOutcome(id: retried, attempt: 1, new_attempt: 1, state: "completed", run_at: 0, message: nil, at: 0)
            #expect(try await database.transaction { try await store.finish([late], worker: "dead", now: clock.now(), in: $0) } == 0)
            try await fixture.running(fixture.worker()) { try await fixture.waitFor(retried, state: .completed) }
            #expect(try await fixture.job(retried).attempt == 2)
        }
    }

    @Test(arguments: TestEngines.all)
    func aLiveWorkerExtendsItsLeasesSoItsJobsAreNotRescued(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: jobsMigrations) { database, _ in
            let fixture = JobsFixture(database: database)
            let id = try await fixture.enqueue(Sleeper.self, .init(seconds: 1.5))
            let worker = fixture.worker(lease: .milliseconds(60))
            try await fixture.running(worker) {
                let running = try await fixture.waitFor(id, state: .running)
                // Past the lease the claim gave: only an extension keeps the job from being rescued.
                fixture.clock.advance(by: .milliseconds(100))
                #expect(fixture.clock.now() > running.leaseExpiresAt!)
                let extended = try await fixture.waitFor(id) { $0.leaseExpiresAt.map { $0 > fixture.clock.now() } ?? true }
                #expect(extended.state == .running)
                #expect(try await worker.rescue() == (0, 0))
                let done = try await fixture.waitFor(id, state: .completed)
                #expect(done.attempt == 1)
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func aPausedQueueClaimsNothingUntilResumed(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: jobsMigrations) { database, _ in
            let fixture = JobsFixture(database: database)
            try await fixture.admin.pause(queue: "default")
            let id = try await fixture.enqueue(Echo.self, .init(text: "waits"))
            try await fixture.running(fixture.worker()) {
                try await Task.sleep(for: .milliseconds(200))
                #expect(try await fixture.job(id).state == .available)
                #expect(try await fixture.admin.queueSummaries(tenantID: nil).first?.paused == true)
                try await fixture.admin.resume(queue: "default")
                try await fixture.waitFor(id, state: .completed)
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func aScheduledJobCancelledBeforeItsTimeNeverRuns(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: jobsMigrations) { database, _ in
            let fixture = JobsFixture(database: database)
            let id = try await fixture.enqueue(Echo.self, .init(text: "later"), options: .init(runAt: fixture.clock.now().addingTimeInterval(60)))
            #expect(try await fixture.job(id).state == .scheduled)
            let cancelled = try await fixture.admin.cancel(id: id, tenantID: nil)
            #expect(cancelled.state == .cancelled)
            fixture.clock.advance(by: .seconds(120))
            try await fixture.running(fixture.worker()) { try await Task.sleep(for: .milliseconds(200)) }
            #expect(fixture.log.all.isEmpty)
            await #expect(throws: YizhanError.self) { try await fixture.admin.cancel(id: id, tenantID: nil) }
        }
    }

    @Test(arguments: TestEngines.all)
    func aScheduledJobRunsOnceItsTimeComes(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: jobsMigrations) { database, _ in
            let fixture = JobsFixture(database: database)
            let id = try await fixture.enqueue(Echo.self, .init(text: "later"), options: .init(runAt: fixture.clock.now().addingTimeInterval(60)))
            try await fixture.running(fixture.worker()) {
                try await Task.sleep(for: .milliseconds(150))
                #expect(try await fixture.job(id).state == .scheduled)
                fixture.clock.advance(by: .seconds(60))
                try await fixture.waitFor(id, state: .completed)
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func anOperatorCancelStopsARunningJob(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: jobsMigrations) { database, _ in
            let fixture = JobsFixture(database: database)
            // Long enough that only the cancel can end it, however slow the machine (the handler's
            // sleep is cancelled with it).
            let id = try await fixture.enqueue(Sleeper.self, .init(seconds: 20))
            try await fixture.running(fixture.worker(lease: .milliseconds(60))) {
                try await fixture.waitFor(id, state: .running)
                let asked = try await fixture.admin.cancel(id: id, tenantID: nil)
                // Asked while running; the worker may have stopped it before the answer was read.
                #expect(asked.state == .running || asked.state == .cancelled)
                #expect(asked.cancelRequestedAt != nil)
                let job = try await fixture.waitFor(id)
                #expect(job.state == .cancelled)
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func anOperatorRetryRunsAFinalJobAgain(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: jobsMigrations) { database, _ in
            let fixture = JobsFixture(database: database)
            let id = try await fixture.enqueue(Scripted.self, .init(action: .failOnce), options: .init(maxAttempts: 1))
            try await fixture.running(fixture.worker()) {
                try await fixture.waitFor(id, state: .discarded)
                let retried = try await fixture.admin.retry(id: id, tenantID: nil)
                #expect(retried.state == .available || retried.state == .running || retried.state == .completed)
                #expect(retried.maxAttempts == 2)
                let job = try await fixture.waitFor(id, state: .completed)
                #expect(job.attempt == 2)
                #expect(job.errors.count == 1)
            }
            await #expect(throws: YizhanError.self) { try await fixture.admin.retry(id: id + 1000, tenantID: nil) }
        }
    }

    @Test(arguments: TestEngines.all)
    func tenantsSeeOnlyTheirOwnJobs(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: jobsMigrations) { database, _ in
            let fixture = JobsFixture(database: database)
            let mine = try await fixture.enqueue(Echo.self, .init(text: "a"), options: .init(tenantID: "ten_a"))
            let theirs = try await fixture.enqueue(Echo.self, .init(text: "b"), options: .init(tenantID: "ten_b"))
            #expect(try await fixture.admin.job(id: mine, tenantID: "ten_a").id == mine)
            let error = await #expect(throws: YizhanError.self) { try await fixture.admin.job(id: theirs, tenantID: "ten_a") }
            #expect(error?.code == .notFound)
            await #expect(throws: YizhanError.self) { try await fixture.admin.cancel(id: theirs, tenantID: "ten_a") }
            await #expect(throws: YizhanError.self) { try await fixture.admin.retry(id: theirs, tenantID: "ten_a") }
            #expect(try await fixture.admin.list(filter: .init(), tenantID: "ten_a", before: nil, limit: 50).map(\.id) == [mine])
            #expect(try await fixture.admin.list(filter: .init(), tenantID: nil, before: nil, limit: 50).map(\.id) == [theirs, mine])
            #expect(try await fixture.admin.list(filter: .init(), tenantID: nil, before: theirs, limit: 50).map(\.id) == [mine])
        }
    }

    @Test(arguments: TestEngines.all)
    func aJobCompletedInItsHandlersTransactionRecordsItsEffectOnce(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: jobsMigrations + [RecordEffects.table]) { database, _ in
            let fixture = JobsFixture(database: database)
            let ids = try await (0..<10).asyncMap { _ in try await fixture.enqueue(Recording.self, .init()) }
            try await fixture.running(fixture.worker()) {
                for id in ids { try await fixture.waitFor(id, state: .completed) }
            }
            let effects = try await RecordEffects.count(database)
            #expect(effects.rows == 10)
            #expect(effects.distinct == 10)
        }
    }

    @Test(arguments: TestEngines.all)
    func aShutdownPutsBackWhatDidNotFinishWithoutCountingTheAttempt(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: jobsMigrations) { database, _ in
            let fixture = JobsFixture(database: database)
            let quick = try await fixture.enqueue(Sleeper.self, .init(seconds: 0.05))
            let slow = try await fixture.enqueue(Sleeper.self, .init(seconds: 60))
            try await fixture.running(fixture.worker(drainTimeout: .seconds(1))) {
                try await fixture.waitFor(slow, state: .running)
                try await fixture.waitFor(quick, state: .running)
            }
            #expect(try await fixture.job(quick).state == .completed)
            let job = try await fixture.job(slow)
            #expect(job.state == .available)
            #expect(job.attempt == 0)
            #expect(job.errors.isEmpty)
        }
    }

    @Test
    func theStateMachineAllowsOnlyTheDrawnMoves() {
        #expect(JobTransition.allows(.available, .running))
        #expect(JobTransition.allows(.running, .scheduled))
        #expect(JobTransition.allows(.discarded, .available))
        #expect(!JobTransition.allows(.completed, .running))
        #expect(!JobTransition.allows(.available, .completed))
        #expect(!JobTransition.allows(.running, .running))
        for transition in JobTransition.allCases {
            for target in transition.targets where target.isFinal {
                #expect(!transition.sources.contains(target) || transition == .retryNow)
            }
        }
    }
}

extension Sequence where Element: Sendable {
    func asyncMap<T>(_ transform: (Element) async throws -> T) async rethrows -> [T] {
        var results: [T] = []
        for element in self { results.append(try await transform(element)) }
        return results
    }
}
