import Metrics
import Prometheus
import YizhanCore
import YizhanJobs
import YizhanStorage

/// The Prometheus registry of one server, with the gauges refreshed at scrape time.
package struct MetricsRegistry: Sendable {
    /// The registry `/metrics` renders.
    package let registry: PrometheusCollectorRegistry
    /// A swift-metrics factory writing into ``registry``.
    package let factory: PrometheusMetricsFactory
    /// The job queue's counters and gauges; the worker of this process reports to it.
    package let jobs: JobMetrics
    /// The token pool's counters; the pool of this process reports to it.
    package let tokens: TokenMetrics
    /// The messaging layer's counters; the messages of this process report to it.
    package let messages: MessageMetrics

    /// A fresh registry (each server, and each test, has its own).
    package init() {
        let registry = PrometheusCollectorRegistry()
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5), .milliseconds(10),
            .milliseconds(25), .milliseconds(50), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .seconds(2.5), .seconds(5), .seconds(10),
        ]
        factory.durationHistogramBuckets[JobMetrics.durationLabel] = JobMetrics.durationBuckets
        self.registry = registry
        self.factory = factory
        self.jobs = JobMetrics(factory: factory)
        self.tokens = TokenMetrics(factory: factory)
        self.messages = MessageMetrics(factory: factory)
    }

    /// Records the build info gauge (`yizhan_build_info{version,engine,role} 1`).
    func recordBuildInfo(engine: DatabaseEngine, role: String) {
        Gauge(
            label: "yizhan_build_info",
            dimensions: [("version", YizhanVersion.current), ("engine", engine.rawValue), ("role", role)],
            factory: factory
        ).record(1)
    }

    /// Renders the Prometheus text format after refreshing the pool gauges and, when the database
    /// answered, the queue gauges.
    func render(pool: PoolStatistics, queues: [QueueSummary]?) -> [UInt8] {
        if let queues { jobs.recordQueues(queues) }
        for (state, value) in [("in_use", pool.inUse), ("idle", pool.idle), ("waiting", pool.waiting)] {
            Gauge(label: "yizhan_db_pool_connections", dimensions: [("state", state)], factory: factory).record(value)
        }
        Gauge(label: "yizhan_db_pool_max_connections", factory: factory).record(pool.maximum)
        return registry.emitToBuffer()
    }
}

extension Duration {
    /// The whole duration in nanoseconds, as swift-metrics' timers take it.
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
