import Foundation
import Synchronization

/// The sandbox's notion of now: real time plus an offset that `POST /_sandbox/clock/advance`
/// moves forward, so token expiry and dedupe windows can be tested without waiting.
public final class SandboxClock: Sendable {
    private let offset = Mutex<TimeInterval>(0)

    public init() {}

    /// Now, as the sandbox sees it.
    public func now() -> Date { Date().addingTimeInterval(offset.withLock { $0 }) }

    /// Moves the clock forward.
    public func advance(seconds: TimeInterval) { offset.withLock { $0 += max(0, seconds) } }

    /// Back to real time.
    public func reset() { offset.withLock { $0 = 0 } }
}
