import CoreMetrics
import Metrics
import Prometheus
import Synchronization
import YizhanJobs

/// The job queue's metrics, through swift-metrics into the server's Prometheus registry:
///
/// - counters by queue and kind, from the worker of this process: `yizhan_jobs_completed_total`,
///   `yizhan_jobs_failed_total` (failed attempts, retried or not), `yizhan_jobs_discarded_total`,
///   `yizhan_jobs_cancelled_total`; and `yizhan_jobs_rescued_total{state}` (jobs this process's
///   rescuer took back from a dead worker: `retryable`, or `discarded` on their last attempt);
/// - `yizhan_job_run_duration_seconds{queue,kind}`, a histogram of handler run times;
/// - gauges read from the database at each scrape (so every API process shows the whole queue):
///   `yizhan_jobs{queue,state}` (depth), `yizhan_jobs_oldest_available_age_seconds{queue}` (0 when
///   nothing waits) and `yizhan_job_queue_paused{queue}`.
package final class JobMetrics: JobObserver, Sendable {
    private struct Key: Hashable {
        let queue: String
        let kind: String
    }

    private struct Series {
        let completed: CoreMetrics.Counter
        let failed: CoreMetrics.Counter
        let discarded: CoreMetrics.Counter
        let cancelled: CoreMetrics.Counter
        let duration: Metrics.Timer
    }

    /// Handlers run far longer than requests: up to their timeout.
    static let durationBuckets: [Duration] = [
        .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250), .milliseconds(500),
        .seconds(1), .seconds(2.5), .seconds(5), .seconds(10), .seconds(30), .seconds(60), .seconds(300),
    ]
    static let durationLabel = "yizhan_job_run_duration_seconds"

    private let factory: PrometheusMetricsFactory
    private let series = Mutex<[Key: Series]>([:])
    /// Queues a scrape has shown, so one that empties (or is pruned away) reads 0, not its last depth.
    private let seenQueues = Mutex<Set<String>>([])

    init(factory: PrometheusMetricsFactory) {
        self.factory = factory
    }

    package func attemptEnded(_ report: JobAttemptReport) {
        let series = self.series(queue: report.queue, kind: report.kind)
        if let duration = report.duration { series.duration.recordNanoseconds(duration.nanoseconds) }
        if report.failed { series.failed.increment() }
        switch report.state {
        case .completed: series.completed.increment()
        case .discarded: series.discarded.increment()
        case .cancelled: series.cancelled.increment()
        default: break
        }
    }

    package func rescued(retried: Int, discarded: Int) {
        for (state, count) in [("retryable", retried), ("discarded", discarded)] where count > 0 {
            CoreMetrics.Counter(label: "yizhan_jobs_rescued_total", dimensions: [("state", state)], factory: factory)
                .increment(by: count)
        }
    }

    /// Records the depth gauges from `summaries` (every tenant's jobs).
    func recordQueues(_ summaries: [QueueSummary]) {
        let shown = Set(summaries.map(\.name))
        let emptied = seenQueues.withLock { seen in
            defer { seen.formUnion(shown) }
            return seen.subtracting(shown)
        }
        let all = summaries + emptied.map { QueueSummary(name: $0, paused: false) }
        for summary in all {
            for state in JobState.allCases {
                Gauge(label: "yizhan_jobs", dimensions: [("queue", summary.name), ("state", state.rawValue)], factory: factory)
                    .record(summary.depth[state] ?? 0)
            }
            Gauge(label: "yizhan_jobs_oldest_available_age_seconds", dimensions: [("queue", summary.name)], factory: factory)
                .record(summary.oldestAvailableAge ?? 0)
            Gauge(label: "yizhan_job_queue_paused", dimensions: [("queue", summary.name)], factory: factory)
                .record(summary.paused ? 1 : 0)
        }
    }

    private func series(queue: String, kind: String) -> Series {
        series.withLock { cache in
            let key = Key(queue: queue, kind: kind)
            if let existing = cache[key] { return existing }
            let dimensions = [("queue", queue), ("kind", kind)]
            let counter = { (name: String) in CoreMetrics.Counter(label: name, dimensions: dimensions, factory: self.factory) }
            let created = Series(
                completed: counter("yizhan_jobs_completed_total"), failed: counter("yizhan_jobs_failed_total"),
                discarded: counter("yizhan_jobs_discarded_total"), cancelled: counter("yizhan_jobs_cancelled_total"),
                duration: Metrics.Timer(label: Self.durationLabel, dimensions: dimensions, factory: factory))
            cache[key] = created
            return created
        }
    }
}
