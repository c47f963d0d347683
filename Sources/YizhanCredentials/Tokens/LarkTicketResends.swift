import Foundation
import LarkKit
import Synchronization
import YizhanCore

/// At most one app_ticket resend per marketplace app and minute from this process: every token
/// fetch without a ticket would ask otherwise, and Lark pushes the ticket asynchronously anyway.
/// Other processes keep their own count; they fetch under the pool's lease, one at a time.
final class LarkTicketResends: Sendable {
    /// The least time between two resends of one app.
    static let interval: Duration = .seconds(60)
    private let throttles = Mutex<[String: LarkTicketResendThrottle]>([:])

    /// Asks Lark to push a new ticket to the app's event URL, unless this process asked within the
    /// interval.
    func request(appID: String, api: LarkAppTokens, clock: any TimeSource) async throws(LarkError) {
        let throttle = throttles.withLock { throttles in
            if let throttle = throttles[appID] { return throttle }
            let throttle = LarkTicketResendThrottle(interval: Self.interval, now: { clock.now() })
            throttles[appID] = throttle
            return throttle
        }
        if await throttle.admit() { try await api.resendAppTicket() }
    }
}
