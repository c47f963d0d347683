import Foundation
import Testing
@testable import YizhanJobs
import YizhanCore
import YizhanStorage
import YizhanTesting

@Suite(.timeLimit(.minutes(2)))
struct CronTests {
    static let utc = TimeZone(identifier: "UTC")!
    static func date(_ text: String) -> Date { try! Date(text, strategy: .iso8601) }

    @Test
    func cronExpressionsFindTheNextMatchingMinute() throws {
        let start = Self.date("2026-12-07T10:17:30Z")  // a Monday
        #expect(try CronExpression("*/15 * * * *").next(after: start) == Self.date("2026-12-07T10:30:00Z"))
        #expect(try CronExpression("0 9 * * mon-fri").next(after: start) == Self.date("2026-12-08T09:00:00Z"))
        #expect(try CronExpression("30 2 1 jan *").next(after: start) == Self.date("2027-01-01T02:30:00Z"))
        #expect(try CronExpression("0 0 13 * 5").next(after: start) == Self.date("2026-12-11T00:00:00Z"))  // 13th or a Friday
        #expect(try CronExpression("0 0 * * 7").next(after: start) == Self.date("2026-12-13T00:00:00Z"))
        let shanghai = try CronExpression("30 2 * * *", timeZone: TimeZone(identifier: "Asia/Shanghai")!)
        #expect(shanghai.next(after: start) == Self.date("2026-12-07T18:30:00Z"))
        #expect(try CronExpression("0 0 30 2 *").next(after: start) == nil)
        for bad in ["* * * *", "60 * * * *", "* 24 * * *", "*/0 * * * *", "5-1 * * * *", "* * * foo *"] {
            #expect(throws: JobsError.self) { try CronExpression(bad) }
        }
    }

    @Test(arguments: TestEngines.all)
    func oneSchedulerLeadsEachTickIsEnqueuedOnceAndLeadershipMovesWhenTheLeaderStops(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: jobsMigrations) { database, _ in
            let fixture = JobsFixture(database: database)
            let periodic = [PeriodicJob(name: "echo", schedule: try CronExpression("* * * * *"), Echo.self, .init(text: "tick"))]
            func scheduler(_ holder: String) -> JobScheduler {
                JobScheduler(database: database, queue: fixture.queue, periodic: periodic, holder: holder,
                             lease: .seconds(3), clock: fixture.clock, logger: TestDatabase.logger)
            }
            let (a, b) = (scheduler("a"), scheduler("b"))
            #expect(try await a.tick())
            #expect(try await !b.tick())
            // Both run every round for three minutes of ticks; each minute is enqueued once.
            for _ in 0..<3 {
                fixture.clock.advance(by: .seconds(60))
                _ = try await a.tick()
                _ = try await b.tick()
                _ = try await a.tick()
            }
            var jobs = try await fixture.admin.list(filter: .init(kind: Echo.kind), tenantID: nil, before: nil, limit: 50)
            #expect(jobs.count == 3)
            #expect(Set(jobs.compactMap(\.uniqueKey)).count == 3)
            // The leader stops renewing (it died); after its lease the other leads.
            fixture.clock.advance(by: .seconds(2))
            #expect(try await !b.tick())
            fixture.clock.advance(by: .seconds(2))
            #expect(try await b.tick())
            fixture.clock.advance(by: .seconds(60))
            #expect(try await b.tick())
            #expect(try await !a.tick())
            jobs = try await fixture.admin.list(filter: .init(kind: Echo.kind), tenantID: nil, before: nil, limit: 50)
            #expect(jobs.count == 4)
            // A leader that resigns hands over at once.
            await b.resign()
            #expect(try await a.tick())
        }
    }

    @Test(arguments: TestEngines.all)
    func finishedJobsArePrunedAfterTheRetention(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: jobsMigrations) { database, _ in
            let fixture = JobsFixture(database: database)
            let done = try await fixture.enqueue(Echo.self, .init(text: "done"))
            let waiting = try await fixture.enqueue(Echo.self, .init(text: "waits"), options: .init(runAt: fixture.clock.now().addingTimeInterval(86_400 * 30)))
            try await fixture.running(fixture.worker()) { try await fixture.waitFor(done, state: .completed) }
            fixture.clock.advance(by: .seconds(86_400 * 6))
            #expect(try await fixture.admin.deleteFinal(olderThan: .seconds(86_400 * 7)) == 0)
            fixture.clock.advance(by: .seconds(86_400 * 2))
            #expect(try await fixture.admin.deleteFinal(olderThan: .seconds(86_400 * 7), batch: 1) == 1)
            await #expect(throws: YizhanError.self) { try await fixture.job(done) }
            #expect(try await fixture.job(waiting).state == .scheduled)
        }
    }
}
