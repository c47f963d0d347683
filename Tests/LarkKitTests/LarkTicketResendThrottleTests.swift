import Foundation
import LarkKit
import Synchronization
import Testing

/// Marketplace `app_ticket` resends go out at most once per interval, however many fetches wait.
@Suite
struct LarkTicketResendThrottleTests {
    /// A clock tests move by hand.
    final class TestClock: Sendable {
        private let time = Mutex(Date(timeIntervalSince1970: 1_700_000_000))
        var now: Date { time.withLock { $0 } }
        func advance(_ seconds: TimeInterval) { time.withLock { $0 += seconds } }
    }

    @Test
    func aResendGoesOutOncePerInterval() async {
        let clock = TestClock()
        let throttle = LarkTicketResendThrottle(interval: .seconds(60), now: { clock.now })
        #expect(await throttle.admit())
        #expect(await !throttle.admit())
        clock.advance(59)
        #expect(await !throttle.admit())
        clock.advance(2)
        #expect(await throttle.admit())
    }
}
