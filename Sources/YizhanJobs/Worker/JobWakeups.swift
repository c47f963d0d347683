import Synchronization

/// Wakes this process's producers: when a job is enqueued here (after its commit), when a
/// notification arrives from another process, or when a worker slot frees. A signal that arrives
/// while no one waits is kept, so the next wait returns at once.
package final class JobWakeups: Sendable {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Void, Never>
    }
    private struct State {
        var waiters: [String: [Waiter]] = [:]
        var pending: Set<String> = []
        var nextID: UInt64 = 0
    }
    private let state = Mutex(State())

    package init() {}

    /// Wakes whoever waits on `queue`, or the next one to.
    package func signal(_ queue: String) {
        let woken = state.withLock { state -> [Waiter] in
            guard let waiters = state.waiters.removeValue(forKey: queue), !waiters.isEmpty else {
                state.pending.insert(queue)
                return []
            }
            return waiters
        }
        for waiter in woken { waiter.continuation.resume() }
    }

    /// Wakes every waiter (shutdown).
    package func signalAll() {
        let woken = state.withLock { state -> [Waiter] in
            defer { state.waiters = [:] }
            return state.waiters.values.flatMap { $0 }
        }
        for waiter in woken { waiter.continuation.resume() }
    }

    /// Returns at the next signal for `queue`, after `timeout`, or when the task is cancelled.
    package func wait(_ queue: String, timeout: Duration) async {
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await Task.sleep(for: timeout) }
            group.addTask { await self.next(queue) }
            await group.next()
            group.cancelAll()
        }
    }

    private func next(_ queue: String) async {
        let id = state.withLock { state in
            defer { state.nextID += 1 }
            return state.nextID
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                let resumeNow = state.withLock { state -> Bool in
                    if state.pending.remove(queue) != nil || Task.isCancelled { return true }
                    state.waiters[queue, default: []].append(Waiter(id: id, continuation: continuation))
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            let waiter = state.withLock { state -> Waiter? in
                guard let index = state.waiters[queue]?.firstIndex(where: { $0.id == id }) else { return nil }
                return state.waiters[queue]?.remove(at: index)
            }
            waiter?.continuation.resume()
        }
    }
}
