import Synchronization

/// A one-time signal: ``wait()`` returns once ``fire()`` has been called, before or after.
final class StartSignal: Sendable {
    private struct State {
        var fired = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    private let state = Mutex(State())

    func fire() {
        let waiters = state.withLock { state in
            state.fired = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    /// Whether ``fire()`` has been called.
    var hasFired: Bool { state.withLock { $0.fired } }

    func wait() async {
        guard !hasFired else { return }
        await withCheckedContinuation { continuation in
            let fired = state.withLock { state in
                if !state.fired { state.waiters.append(continuation) }
                return state.fired
            }
            if fired { continuation.resume() }
        }
    }
}
