import Synchronization
import YizhanCore

/// Bounds how many bcrypt computations run at once and how many may wait, so a flood of logins
/// cannot queue unbounded CPU work: past the queue limit a request is refused at once with 503.
///
/// The limits are generous (a queue of hundreds), so only a flood meets them, never a busy day.
final class HashingGate: Sendable {
    private struct State {
        var running = 0
        var waiters: [CheckedContinuation<Void, Never>] = []
    }

    let concurrent: Int
    let queued: Int
    private let state = Mutex(State())

    init(concurrent: Int, queued: Int) {
        precondition(concurrent >= 1 && queued >= 0)
        self.concurrent = concurrent
        self.queued = queued
    }

    /// Runs `body` when a slot is free; `SERVICE_UNAVAILABLE` when too many are waiting already.
    func run<Result: Sendable>(_ body: () async throws -> Result) async throws -> Result {
        try await acquire()
        defer { release() }
        return try await body()
    }

    private enum Entry { case now, wait, refuse }

    private func acquire() async throws {
        let entry = state.withLock { state -> Entry in
            if state.running < concurrent {
                state.running += 1
                return .now
            }
            return state.waiters.count < queued ? .wait : .refuse
        }
        switch entry {
        case .now:
            return
        case .refuse:
            throw YizhanError(
                .serviceUnavailable, "Too many password checks are waiting; try again shortly.",
                headers: ["Retry-After": "1"])
        case .wait:
            await withCheckedContinuation { continuation in
                let admitted = state.withLock { state -> Bool in
                    if state.running < concurrent {
                        state.running += 1
                        return true
                    }
                    state.waiters.append(continuation)
                    return false
                }
                if admitted { continuation.resume() }
            }
        }
    }

    /// Hands the slot to the first waiter, or frees it.
    private func release() {
        let next = state.withLock { state -> CheckedContinuation<Void, Never>? in
            if state.waiters.isEmpty {
                state.running -= 1
                return nil
            }
            return state.waiters.removeFirst()
        }
        next?.resume()
    }
}
