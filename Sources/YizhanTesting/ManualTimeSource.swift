import Foundation
import Synchronization
import YizhanCore

/// A clock that moves only when a test says so: ``advance(by:)`` moves wall time and uptime together.
package final class ManualTimeSource: TimeSource {
    private let state: Mutex<(now: Date, uptime: Duration)>

    /// Starts at `start` (a fixed, round date by default), with no uptime.
    package init(start: Date = Date(timeIntervalSince1970: 1_796_083_200)) {
        state = Mutex((start, .zero))
    }

    package func now() -> Date { state.withLock { $0.now } }

    package func uptime() -> Duration { state.withLock { $0.uptime } }

    /// Moves time forward by `duration`.
    package func advance(by duration: Duration) {
        let seconds = Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
        state.withLock { state in
            state.now = state.now.addingTimeInterval(seconds)
            state.uptime += duration
        }
    }
}
