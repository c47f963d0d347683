import Synchronization

/// The first of several racing outcomes, handed to one waiter exactly once.
///
/// Any side may ``settle(_:)`` at any time, before or after the waiter arrives; the first outcome
/// wins and the later ones are dropped, so a continuation is never resumed twice.
final class FirstOutcome<Value: Sendable>: Sendable {
    private enum State {
        case open
        case waiting(CheckedContinuation<Value, any Error>)
        case settled(Result<Value, any Error>)
        case delivered
    }

    private let state = Mutex<State>(.open)

    /// Offers `outcome`; kept only if no outcome came first.
    func settle(_ outcome: Result<Value, any Error>) {
        let waiter = state.withLock { state -> CheckedContinuation<Value, any Error>? in
            switch state {
            case .open:
                state = .settled(outcome)
                return nil
            case .waiting(let continuation):
                state = .delivered
                return continuation
            case .settled, .delivered:
                return nil
            }
        }
        waiter?.resume(with: outcome)
    }

    /// The first outcome, once there is one.
    func value() async throws -> Value {
        try await withCheckedThrowingContinuation { continuation in
            let ready = state.withLock { state -> Result<Value, any Error>? in
                guard case .settled(let outcome) = state else {
                    state = .waiting(continuation)
                    return nil
                }
                state = .delivered
                return outcome
            }
            if let ready { continuation.resume(with: ready) }
        }
    }
}
