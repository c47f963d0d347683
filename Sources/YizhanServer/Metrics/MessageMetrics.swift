import CoreMetrics
import Prometheus
import YizhanCredentials
import YizhanMessaging

/// The messaging layer's counters, by `provider`, through swift-metrics into the server's
/// Prometheus registry; each counts this process only:
///
/// - `yizhan_messages_accepted_total`: messages queued (a replayed idempotency key counts nothing);
/// - `yizhan_message_recipients_total` by `status` (`sent`, `failed`, `unknown`): recipients a
///   dispatch attempt of this process ended;
/// - `yizhan_message_rate_limit_waits_total`: attempts that waited for a provider's rate limit.
///
/// Every series exists from the start (at 0).
package final class MessageMetrics: MessagingObserver, Sendable {
    private let accepted: [AppProvider: CoreMetrics.Counter]
    private let ended: [AppProvider: [RecipientStatus: CoreMetrics.Counter]]
    private let waits: [AppProvider: CoreMetrics.Counter]

    init(factory: PrometheusMetricsFactory) {
        var accepted: [AppProvider: CoreMetrics.Counter] = [:]
        var ended: [AppProvider: [RecipientStatus: CoreMetrics.Counter]] = [:]
        var waits: [AppProvider: CoreMetrics.Counter] = [:]
        for provider in AppProvider.allCases {
            let dimensions = [("provider", provider.rawValue)]
            accepted[provider] = CoreMetrics.Counter(label: "yizhan_messages_accepted_total", dimensions: dimensions, factory: factory)
            waits[provider] = CoreMetrics.Counter(label: "yizhan_message_rate_limit_waits_total", dimensions: dimensions, factory: factory)
            for status in [RecipientStatus.sent, .failed, .unknown] {
                ended[provider, default: [:]][status] = CoreMetrics.Counter(
                    label: "yizhan_message_recipients_total", dimensions: dimensions + [("status", status.rawValue)], factory: factory)
            }
        }
        (self.accepted, self.ended, self.waits) = (accepted, ended, waits)
    }

    package func accepted(_ provider: AppProvider, count: Int) { accepted[provider]?.increment(by: count) }
    package func ended(_ provider: AppProvider, _ status: RecipientStatus) { ended[provider]?[status]?.increment() }
    package func rateLimited(_ provider: AppProvider) { waits[provider]?.increment() }
}
