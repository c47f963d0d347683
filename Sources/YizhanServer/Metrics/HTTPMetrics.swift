import CoreMetrics
import Metrics
import Prometheus
import Synchronization

/// Request count and latency by method, route and status, through swift-metrics into the Prometheus
/// registry that `/metrics` serves. The metric objects of each label set are made once and reused.
final class HTTPMetrics: Sendable {
    private struct Series {
        let requests: CoreMetrics.Counter
        let duration: Metrics.Timer
    }

    /// One label set; hashed as is, so no key string is built per request.
    private struct Labels: Hashable {
        let method: String
        let status: Int
        let route: String
    }

    private let factory: PrometheusMetricsFactory
    private let series = Mutex<[Labels: Series]>([:])

    init(factory: PrometheusMetricsFactory) {
        self.factory = factory
    }

    /// Methods kept as labels; any other becomes `OTHER`, so clients cannot grow the series set.
    private static let knownMethods: Set<String> = ["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]

    func record(method: String, route: String, status: Int, duration: Duration) {
        let method = Self.knownMethods.contains(method) ? method : "OTHER"
        let key = Labels(method: method, status: status, route: route)
        let found = series.withLock { cache in
            if let existing = cache[key] { return existing }
            let dimensions = [("method", method), ("route", route), ("status", String(status))]
            let created = Series(
                requests: CoreMetrics.Counter(label: "yizhan_http_requests_total", dimensions: dimensions, factory: factory),
                duration: Metrics.Timer(label: "yizhan_http_request_duration_seconds", dimensions: dimensions, factory: factory)
            )
            cache[key] = created
            return created
        }
        found.requests.increment()
        found.duration.recordNanoseconds(duration.nanoseconds)
    }
}
