import YizhanJobs
import YizhanMessaging

/// Which job handlers this binary runs, and how its worker is set up: the one place a module's
/// handlers and periodic jobs are registered (as `ServerDependencies.migrations` lists its schema).
enum JobHandlers {
    /// Every handler, built from the process's services.
    static func registry(_ dependencies: ServerDependencies) -> JobRegistry {
        var registry = JobRegistry()
        registry.register(PruneFinishedJobs(admin: dependencies.jobs.admin))
        registry.register(PruneIdentityJob(identity: dependencies.identity))
        registry.register(PruneContactsJob(credentials: dependencies.credentials))
        registry.register(DispatchMessageJob(dispatcher: dependencies.messaging.dispatcher))
        return registry
    }

    /// The worker's queues, periodic jobs and timings. Running jobs get three quarters of the
    /// shutdown grace period to finish, so the rest are put back before the group cancels the worker.
    static func workerConfiguration(_ configuration: YizhanConfiguration) throws -> JobWorkerConfiguration {
        var worker = JobWorkerConfiguration(
            queues: [JobOptions.defaultQueue: configuration.jobsConcurrency, JobQueue.maintenanceQueue: 1],
            drainTimeout: configuration.shutdownGracePeriod * 0.75)
        let hourly = { (minute: Int) in try CronExpression("\(minute) * * * *") }
        worker.periodicJobs = [
            PeriodicJob(
                name: PruneFinishedJobs.kind, schedule: try hourly(17), PruneFinishedJobs.self,
                .init(retentionSeconds: configuration.jobsRetentionDays * 86_400)),
            PeriodicJob(
                name: PruneIdentityJob.kind, schedule: try hourly(23), PruneIdentityJob.self,
                .init(auditRetentionDays: configuration.auditRetentionDays)),
            PeriodicJob(name: PruneContactsJob.kind, schedule: try hourly(29), PruneContactsJob.self, .init()),
        ]
        return worker
    }
}
