import ArgumentParser
import Foundation
import YizhanCore
import YizhanIdentity
import YizhanJobs
import YizhanServer

/// `yizhan jobs list|show|retry|cancel`: every tenant's jobs (whoever holds the database is the
/// platform), or one tenant's with `--tenant`.
struct JobsCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "jobs", abstract: "List, show, retry and cancel jobs.",
        subcommands: [List.self, Show.self, Retry.self, Cancel.self])

    /// The options that say which jobs a command reaches.
    struct Scope: ParsableArguments {
        @Option(help: "Only this tenant's jobs (its code); every job if omitted.") var tenant: String?

        /// The tenant's id, or `nil` for every job.
        func tenantID(_ services: ServerDependencies) async throws -> String? {
            guard let tenant else { return nil }
            return try await AdminCommand.tenant(tenant, in: services.identity).id
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List jobs, newest first: id, state, queue, kind, attempts, run at, tenant.")

        @OptionGroup var options: ConfigOptions
        @OptionGroup var scope: Scope
        @Option var queue: String?
        @Option var kind: String?
        @Option(help: "available, scheduled, running, retryable, completed, cancelled or discarded.") var state: String?
        @Option(help: "Only jobs with a smaller id (the next page).") var before: Int64?
        @Option(help: "At most this many (1 to 200).") var limit = 50

        func validate() throws {
            if let state, JobState(rawValue: state) == nil {
                throw ValidationError("--state must be one of \(JobState.allCases.map(\.rawValue).joined(separator: ", ")).")
            }
            guard (1...200).contains(limit) else { throw ValidationError("--limit must be 1 to 200.") }
        }

        func run() async throws {
            let filter = JobFilter(queue: queue, kind: kind, state: state.flatMap(JobState.init(rawValue:)))
            let (scope, before, limit) = (scope, before, limit)
            try await AdminCommand.run(options) { (services: ServerDependencies) in
                let page = try await services.jobs.admin.page(
                    filter: filter, tenantID: try await scope.tenantID(services), before: before, limit: limit)
                for job in page.jobs {
                    print([
                        String(job.id), job.state.rawValue, job.queue, job.kind, "\(job.attempt)/\(job.maxAttempts)",
                        job.runAt.formatted(.iso8601), job.tenantID ?? "-",
                    ].joined(separator: "\t"))
                }
                if let next = page.nextBefore { print("more: --before \(next)") }
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Show one job, with its arguments and the error of every failed attempt.")

        @OptionGroup var options: ConfigOptions
        @OptionGroup var scope: Scope
        @Option var id: Int64

        func run() async throws {
            let (scope, id) = (scope, id)
            try await AdminCommand.run(options) { (services: ServerDependencies) in
                JobsCommand.describe(try await services.jobs.admin.job(id: id, tenantID: try await scope.tenantID(services)))
            }
        }
    }

    struct Retry: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a waiting or finished job again now (one more attempt if it used them all).")

        @OptionGroup var options: ConfigOptions
        @OptionGroup var scope: Scope
        @Option var id: Int64

        func run() async throws {
            try await JobsCommand.change(id, scope, options) { services, id, tenantID in
                let job = try await services.jobs.admin.retry(id: id, tenantID: tenantID, record: services.identity.audit.jobChange("job.retry"))
                return "job \(job.id) \(job.state.rawValue) (attempt \(job.attempt) of \(job.maxAttempts))"
            }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Cancel a waiting job; a running one is stopped by its worker within a third of its lease.")

        @OptionGroup var options: ConfigOptions
        @OptionGroup var scope: Scope
        @Option var id: Int64

        func run() async throws {
            try await JobsCommand.change(id, scope, options) { services, id, tenantID in
                let job = try await services.jobs.admin.cancel(id: id, tenantID: tenantID, record: services.identity.audit.jobChange("job.cancel"))
                return job.state == .running ? "job \(job.id) running; its worker was asked to stop it" : "job \(job.id) \(job.state.rawValue)"
            }
        }
    }

    /// Runs `change` on job `id` in `scope` and prints the line it returns. (The audit entries of
    /// the command line have no actor: they read `system`.)
    static func change(
        _ id: Int64, _ scope: Scope, _ options: ConfigOptions,
        _ change: @escaping @Sendable (ServerDependencies, Int64, String?) async throws -> String
    ) async throws {
        try await AdminCommand.run(options) { (services: ServerDependencies) in
            print(try await change(services, id, try await scope.tenantID(services)))
        }
    }

    /// `key: value` lines for a job, its errors last.
    static func describe(_ job: Job) {
        let dates: [(String, Date?)] = [
            ("run_at", job.runAt), ("attempted_at", job.attemptedAt), ("lease_expires_at", job.leaseExpiresAt),
            ("cancel_requested_at", job.cancelRequestedAt), ("created_at", job.createdAt), ("finalized_at", job.finalizedAt),
        ]
        let fields: [(String, String?)] = [
            ("id", String(job.id)), ("state", job.state.rawValue), ("queue", job.queue), ("kind", job.kind),
            ("attempt", "\(job.attempt) of \(job.maxAttempts)"), ("priority", String(job.priority)), ("tenant", job.tenantID),
            ("unique_key", job.uniqueKey), ("attempted_by", job.attemptedBy),
        ] + dates.map { ($0, $1?.formatted(.iso8601)) } + [("args", job.args)]
        for case let (name, value?) in fields { print("\(name): \(value)") }
        for error in job.errors { print("error (attempt \(error.attempt), \(error.at.formatted(.iso8601))): \(error.message)") }
    }
}

/// `yizhan queues [list]|pause|resume`: the shared queues.
struct QueuesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queues", abstract: "Show the job queues; pause and resume them.",
        subcommands: [List.self, Pause.self, Resume.self], defaultSubcommand: List.self)

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Each queue: paused or not, the age of its oldest due job, its jobs per state.")

        @OptionGroup var options: ConfigOptions
        @OptionGroup var scope: JobsCommand.Scope

        func run() async throws {
            let scope = scope
            try await AdminCommand.run(options) { (services: ServerDependencies) in
                for queue in try await services.jobs.admin.queueSummaries(tenantID: try await scope.tenantID(services)) {
                    QueuesCommand.describe(queue)
                }
            }
        }
    }

    struct Pause: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Pause a queue: its workers claim nothing until it is resumed.")

        @OptionGroup var options: ConfigOptions
        @Option var name: String

        func run() async throws { try await QueuesCommand.set(name, paused: true, options) }
    }

    struct Resume: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Resume a paused queue.")

        @OptionGroup var options: ConfigOptions
        @Option var name: String

        func run() async throws { try await QueuesCommand.set(name, paused: false, options) }
    }

    /// Pauses or resumes `name`, then prints it.
    static func set(_ name: String, paused: Bool, _ options: ConfigOptions) async throws {
        try await AdminCommand.run(options) { (services: ServerDependencies) in
            let (admin, audit) = (services.jobs.admin, services.identity.audit)
            if paused {
                try await admin.pause(queue: name, record: audit.queueChange("queue.pause", name))
            } else {
                try await admin.resume(queue: name, record: audit.queueChange("queue.resume", name))
            }
            describe(try await admin.queueSummary(name))
        }
    }

    /// `name  paused|active  oldest=…s  available=… …` (states with no job left out).
    static func describe(_ queue: QueueSummary) {
        let age = queue.oldestAvailableAge.map { "oldest=\(Int($0.rounded()))s" } ?? "oldest=-"
        let depth = JobState.allCases.compactMap { state in queue.depth[state].map { "\(state.rawValue)=\($0)" } }
        print(([queue.name, queue.paused ? "paused" : "active", age] + depth).joined(separator: "\t"))
    }
}
