import Logging
import YizhanCore
import YizhanStorage

/// The job queue, wired once per process: enqueueing, administration and (for worker roles) the
/// worker share one set of wake-ups, so a job enqueued here wakes this process's producers at once.
package final class Jobs: Sendable {
    /// Enqueues jobs in a caller's transaction.
    package let queue: JobQueue
    /// Lists, retries, cancels jobs; pauses queues.
    package let admin: JobAdmin
    let database: any Database
    let clock: any TimeSource
    let wakeups: JobWakeups

    package init(database: any Database, clock: any TimeSource) {
        let wakeups = JobWakeups()
        self.database = database
        self.clock = clock
        self.wakeups = wakeups
        self.queue = JobQueue(clock: clock, wakeups: wakeups)
        self.admin = JobAdmin(database: database, clock: clock, wakeups: wakeups)
    }

    /// A worker running `registry`'s handlers on the configured queues.
    package func worker(registry: JobRegistry, configuration: JobWorkerConfiguration, logger: Logger) -> JobWorker {
        JobWorker(
            database: database, registry: registry, configuration: configuration, clock: clock, wakeups: wakeups,
            logger: logger)
    }
}
