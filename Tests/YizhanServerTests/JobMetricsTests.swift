import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing
import YizhanJobs
import YizhanServer
import YizhanStorage
import YizhanTesting

/// `/metrics` shows the job queue: depth per queue and state, the oldest due job's age, whether a
/// queue is paused, the worker's completed/failed/discarded/rescued counters and its run durations.
@Suite(.timeLimit(.minutes(5)))
struct JobMetricsTests {
    struct Succeeds: JobHandler {
        struct Args: Codable, Sendable {}
        static let kind = "test.succeeds"
        func run(_ args: Args, context: JobContext) async throws -> JobOutcome { .completed }
    }

    struct Fails: JobHandler {
        struct Args: Codable, Sendable {}
        struct Refused: Error {}
        static let kind = "test.fails"
        static let maxAttempts = 1
        func run(_ args: Args, context: JobContext) async throws -> JobOutcome { throw Refused() }
    }

    @Test(arguments: TestEngines.all)
    func metricsShowDepthAgeAndTheWorkersCounters(engine: DatabaseEngine) async throws {
        var configuration = YizhanConfiguration()
        configuration.masterKey = testMasterKey
        try await TestDatabase.with(engine, migrations: ServerDependencies.migrations) { [configuration] database, _ in
            let dependencies = try ServerDependencies(configuration: configuration, database: database, logger: quietLogger)
            let jobs = dependencies.jobs
            var registry = JobRegistry()
            registry.register(Succeeds())
            registry.register(Fails())
            var workerConfiguration = JobWorkerConfiguration(
                queues: ["default": 2], pollInterval: .milliseconds(50), rescueInterval: .seconds(3600), workerID: "metrics-test")
            workerConfiguration.observer = dependencies.metrics.jobs
            let worker = jobs.worker(registry: registry, configuration: workerConfiguration, logger: quietLogger)

            func enqueue(_ job: NewJob) async throws -> Int64 {
                try await database.transaction { work in try await jobs.queue.enqueue(job, in: work) }.id
            }
            let ids = [
                try await enqueue(try NewJob(Succeeds.self, .init())),
                try await enqueue(try NewJob(Succeeds.self, .init())),
                try await enqueue(try NewJob(Fails.self, .init())),
            ]
            // A kind no handler here knows waits for a worker that knows it.
            _ = try await enqueue(NewJob(kind: "test.unknown", args: "{}"))
            // Waiting in a queue no worker here runs, one of them for a while already.
            let stamp = Timestamp.milliseconds(Date())
            _ = try await enqueue(NewJob(queue: "mail", kind: "test.succeeds", args: "{}"))
            let dead = try await enqueue(NewJob(queue: "mail", kind: "test.succeeds", args: "{}"))
            try await database.transaction { work in
                try await work.raw("UPDATE jobs SET run_at = \(bind: stamp - 120_000) WHERE queue = 'mail'").run()
                // A job whose worker died: its lease ran out a minute ago.
                try await work.raw("""
                    UPDATE jobs SET state = 'running', attempt = 1, attempted_by = 'gone', lease_expires_at = \(bind: stamp - 60_000)
                    WHERE id = \(bind: dead)
                    """).run()
            }
            try await jobs.admin.pause(queue: "paused-queue")

            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await worker.run() }
                for _ in 0..<400 {
                    let finished = try await ids.asyncAllSatisfy { try await jobs.admin.job(id: $0, tenantID: nil).state.isFinal }
                    if finished { break }
                    try await Task.sleep(for: .milliseconds(50))
                }
                #expect(try await worker.rescue().retried == 1)
                worker.beginDrain()
                try await group.waitForAll()
            }

            let app = try App.buildApplication(dependencies)
            try await app.test(.router) { client in
                try await client.execute(uri: "/metrics", method: .get) { response in
                    #expect(response.status == .ok)
                    let text = String(buffer: response.body)
                    let lines = Set(text.split(separator: "\n").map(String.init))
                    for expected in [
                        #"yizhan_jobs{queue="default",state="completed"} 2.0"#,
                        #"yizhan_jobs{queue="default",state="discarded"} 1.0"#,
                        #"yizhan_jobs{queue="default",state="available"} 1.0"#,
                        #"yizhan_jobs{queue="mail",state="available"} 1.0"#,
                        #"yizhan_jobs{queue="mail",state="retryable"} 1.0"#,
                        #"yizhan_job_queue_paused{queue="paused-queue"} 1.0"#,
                        #"yizhan_job_queue_paused{queue="default"} 0.0"#,
                        #"yizhan_jobs_completed_total{queue="default",kind="test.succeeds"} 2"#,
                        #"yizhan_jobs_failed_total{queue="default",kind="test.fails"} 1"#,
                        #"yizhan_jobs_discarded_total{queue="default",kind="test.fails"} 1"#,
                        #"yizhan_jobs_rescued_total{state="retryable"} 1"#,
                        #"yizhan_job_run_duration_seconds_count{queue="default",kind="test.succeeds"} 2"#,
                    ] {
                        let found = lines.contains(expected)
                        #expect(found, "no line \(expected) in:\n\(text)")
                    }
                    #expect(text.contains(#"yizhan_job_run_duration_seconds_bucket{queue="default",kind="test.fails",le="300.0"} 1"#))
                    let age = lines.first { $0.hasPrefix(#"yizhan_jobs_oldest_available_age_seconds{queue="mail"} "#) }
                    let seconds = age.flatMap { Double($0.split(separator: " ").last ?? "") }
                    #expect(seconds.map { $0 >= 119 } == true, "\(age ?? "no age line")")
                }
            }
        }
    }
}

extension Array where Element: Sendable {
    func asyncAllSatisfy(_ predicate: (Element) async throws -> Bool) async rethrows -> Bool {
        for element in self where try await !predicate(element) { return false }
        return true
    }
}
