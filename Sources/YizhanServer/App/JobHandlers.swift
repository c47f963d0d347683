import YizhanJobs

/// Which job handlers this binary runs, and how its worker is set up: the one place a module's
/// handlers are registered (as `ServerDependencies.migrations` lists its schema).
enum JobHandlers {
    /// Every handler, built from the process's services.
    static func registry(_ dependencies: ServerDependencies) -> JobRegistry {
        JobRegistry()
    }

    /// The worker's queues and timings. Running jobs get three quarters of the shutdown grace
    /// period to finish, so the rest are put back before the group cancels the worker.
    static func workerConfiguration(_ configuration: YizhanConfiguration) -> JobWorkerConfiguration {
        JobWorkerConfiguration(
            queues: [JobOptions.defaultQueue: 10],
            drainTimeout: configuration.shutdownGracePeriod * 0.75)
    }
}
