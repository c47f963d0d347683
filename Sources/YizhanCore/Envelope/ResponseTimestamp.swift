#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// The `meta.timestamp` of responses: ISO 8601 in UTC, to the second, formatted once per second
/// rather than once per response (formatting is a visible share of a fast route's cost).
public final class ResponseTimestamp: Sendable {
    private let clock: any TimeSource
    private let cache = Mutex<(second: Int, text: String)>((Int.min, ""))

    /// Timestamps read from `clock`.
    public init(clock: any TimeSource = SystemTimeSource()) {
        self.clock = clock
    }

    /// Now, formatted.
    public func now() -> String {
        let date = clock.now()
        let second = Int(date.timeIntervalSince1970.rounded(.down))
        if let cached = cache.withLock({ $0.second == second ? $0.text : nil }) { return cached }
        let text = date.formatted(.iso8601)
        cache.withLock { $0 = (second, text) }
        return text
    }
}
