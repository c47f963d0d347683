import Foundation

/// Settings of a ``JobWorker``.
package struct JobWorkerConfiguration: Sendable {
    /// The queues this worker runs, each with how many jobs may run at once.
    package var queues: [String: Int]
    /// How often a producer looks for due jobs when nothing woke it (scheduled jobs coming due,
    /// SQLite jobs enqueued by another process, a lost notification).
    package var pollInterval: Duration
    /// How long a claimed job belongs to this worker without a lease extension; a worker that dies
    /// loses its jobs to the rescuer this long after its last extension.
    package var lease: Duration
    /// How often the rescuer looks for expired leases.
    package var rescueInterval: Duration
    /// How long a shutdown waits for running jobs before it stops them and puts them back.
    package var drainTimeout: Duration
    /// This worker's name in `attempted_by`.
    package var workerID: String
    /// Jobs to enqueue on cron schedules (one worker process leads and enqueues each tick once).
    package var periodicJobs: [PeriodicJob] = []
    /// How often the scheduler renews its leadership and looks for due ticks; the lease on
    /// leadership is three times this.
    package var schedulerInterval: Duration = .seconds(1)
    /// Told of every attempt's end and every rescue (metrics); none by default.
    package var observer: (any JobObserver)?

    package init(
        queues: [String: Int] = [JobOptions.defaultQueue: 10], pollInterval: Duration = .seconds(1),
        lease: Duration = .seconds(30), rescueInterval: Duration = .seconds(15), drainTimeout: Duration = .seconds(20),
        workerID: String = JobWorkerConfiguration.defaultWorkerID()
    ) {
        self.queues = queues
        self.pollInterval = pollInterval
        self.lease = lease
        self.rescueInterval = rescueInterval
        self.drainTimeout = drainTimeout
        self.workerID = workerID
    }

    /// `host:pid:random`, unique per process start.
    package static func defaultWorkerID() -> String {
        let host = ProcessInfo.processInfo.hostName
        let random = String(UInt32.random(in: .min ... .max), radix: 16)
        return "\(host):\(ProcessInfo.processInfo.processIdentifier):\(random)"
    }
}
