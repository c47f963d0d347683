import CoreMetrics
import Prometheus
import YizhanCredentials

/// The token pool's counters, by `provider` and `kind` (`lark`/`lark_tenant`, `lark`/`lark_app`,
/// `wecom`/`wecom`), through swift-metrics into the server's Prometheus registry; each counts this
/// process only:
///
/// - `yizhan_token_hits_total`: callers answered from memory;
/// - `yizhan_token_waits_total`: callers that waited for a token (a fetch here or in another
///   process, or the stored row);
/// - `yizhan_token_fetches_total`: tokens this process fetched from the provider;
/// - `yizhan_token_fetch_failures_total`: its fetches that failed (the log line has the provider's code).
///
/// Every series exists from the start (at 0), and the hit path only increments a counter made at
/// start: no lookup under a lock.
package final class TokenMetrics: TokenPoolObserver, Sendable {
    private struct Series {
        let hits: CoreMetrics.Counter
        let waits: CoreMetrics.Counter
        let fetches: CoreMetrics.Counter
        let failures: CoreMetrics.Counter
    }

    private let series: [TokenKind: Series]

    init(factory: PrometheusMetricsFactory) {
        var series: [TokenKind: Series] = [:]
        for kind in TokenKind.allCases {
            let dimensions = [("provider", kind.provider.rawValue), ("kind", kind.rawValue)]
            let counter = { (name: String) in CoreMetrics.Counter(label: name, dimensions: dimensions, factory: factory) }
            series[kind] = Series(
                hits: counter("yizhan_token_hits_total"), waits: counter("yizhan_token_waits_total"),
                fetches: counter("yizhan_token_fetches_total"), failures: counter("yizhan_token_fetch_failures_total"))
        }
        self.series = series
    }

    package func hit(_ kind: TokenKind) { series[kind]?.hits.increment() }
    package func waited(_ kind: TokenKind) { series[kind]?.waits.increment() }
    package func fetched(_ kind: TokenKind) { series[kind]?.fetches.increment() }
    package func fetchFailed(_ kind: TokenKind, providerCode: Int?) { series[kind]?.failures.increment() }
}
