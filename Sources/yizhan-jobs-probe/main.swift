import Foundation
import Logging
import ServiceLifecycle
import SQLKit
import UnixSignals
import YizhanCore
import YizhanJobs
import YizhanStorage
import YizhanTesting

// A job worker process for the multi-process tests: runs `test.record` jobs on a test database
// until SIGTERM, then drains. Each job inserts its id into `job_effects` in the transaction that
// completes it, so the test can count how many times each job took effect.
//
// Usage: yizhan-jobs-probe ENGINE LOCATION WORKER-ID CONCURRENCY LEASE-MILLISECONDS

struct RecordJob: JobHandler {
    struct Args: Codable, Sendable {}
    static let kind = "test.record"
    let database: any Database

    func run(_ args: Args, context: JobContext) async throws -> JobOutcome {
        try await database.transaction { work in
            try await work.raw("INSERT INTO job_effects (job_id) VALUES (\(bind: context.job.id))").run()
            try await context.complete(in: work)
        }
        return .completed
    }
}

let arguments = CommandLine.arguments
guard arguments.count == 6, let engine = DatabaseEngine(rawValue: arguments[1]),
      let concurrency = Int(arguments[4]), let lease = Int(arguments[5]) else {
    FileHandle.standardError.write(Data("usage: yizhan-jobs-probe ENGINE LOCATION WORKER-ID CONCURRENCY LEASE-MS\n".utf8))
    exit(64)
}
var logger = Logger(label: "yizhan.jobs-probe")
logger.logLevel = .warning
let database = try TestDatabase.existing(engine, location: arguments[2])
    .open(poolSize: concurrency + 2, acquireTimeout: .seconds(60), logger: logger)
var registry = JobRegistry()
registry.register(RecordJob(database: database))
let jobs = Jobs(database: database, clock: SystemTimeSource())
let worker = jobs.worker(
    registry: registry,
    configuration: .init(
        queues: [JobOptions.defaultQueue: concurrency], pollInterval: .milliseconds(200), lease: .milliseconds(lease),
        rescueInterval: .milliseconds(lease / 2), drainTimeout: .seconds(10), workerID: arguments[3]),
    logger: logger)
let group = ServiceGroup(configuration: .init(
    services: [.init(service: database), .init(service: worker)], gracefulShutdownSignals: [.sigterm], logger: logger))
FileHandle.standardOutput.write(Data("ready\n".utf8))
try await group.run()
