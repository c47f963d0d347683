import Foundation
import Synchronization

/// The sandbox's notion of now: real time plus an offset that `POST /_sandbox/clock/advance`
/// moves forward, so token expiry and dedupe windows can be tested without waiting.
/// `POST /_sandbox/clock/freeze` stops it (only `advance` moves it then), so a test of a
/// per-second rate limit does not depend on how fast a loaded machine sends its burst.
public final class SandboxClock: Sendable {
    private struct State {
        var offset: TimeInterval = 0
        var frozenAt: Date?
    }

    private let state = Mutex(State())

    public init() {}

    /// Now, as the sandbox sees it.
    public func now() -> Date {
        state.withLock { $0.frozenAt ?? Date().addingTimeInterval($0.offset) }
    }

    /// Moves the clock forward.
    public func advance(seconds: TimeInterval) {
        state.withLock { state in
            let seconds = max(0, seconds)
            if let frozenAt = state.frozenAt { state.frozenAt = frozenAt.addingTimeInterval(seconds) }
            state.offset += seconds
        }
    }

    /// Stops the clock at its current time until ``advance(seconds:)`` moves it or ``reset()``.
    public func freeze() {
        state.withLock { state in
            if state.frozenAt == nil { state.frozenAt = Date().addingTimeInterval(state.offset) }
        }
    }

    /// Back to real time, running.
    public func reset() { state.withLock { $0 = State() } }
}
