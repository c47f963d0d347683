import Foundation

/// Lets an `app_ticket` resend through at most once per interval: every token fetch without a
/// ticket would otherwise ask Lark for one, and Lark pushes the ticket asynchronously anyway.
package actor LarkTicketResendThrottle {
    private let interval: TimeInterval
    private let now: @Sendable () -> Date
    private var lastResend: Date?

    package init(interval: Duration, now: @escaping @Sendable () -> Date) {
        self.interval = TimeInterval(interval.components.seconds) + TimeInterval(interval.components.attoseconds) / 1e18
        self.now = now
    }

    /// Whether a resend may go now; if so, counts it as sent.
    package func admit() -> Bool {
        let time = now()
        if let lastResend, time.timeIntervalSince(lastResend) < interval { return false }
        lastResend = time
        return true
    }
}
