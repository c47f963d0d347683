import CoreMetrics
import Metrics
import Prometheus

/// Request count and latency by method, route and status, through swift-metrics into the Prometheus
/// registry that `/metrics` serves.
struct HTTPMetrics: Sendable {
    let factory: PrometheusMetricsFactory

    func record(method: String, route: String, status: Int, duration: Duration) {
        let dimensions = [("method", method), ("route", route), ("status", String(status))]
        Counter(label: "yizhan_http_requests_total", dimensions: dimensions, factory: factory).increment()
        Metrics.Timer(label: "yizhan_http_request_duration_seconds", dimensions: dimensions, factory: factory)
            .recordNanoseconds(Self.nanoseconds(duration))
    }

    private static func nanoseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
