import YizhanStorage

/// Lets one SQLite write transaction of this process run at a time, in arrival order.
///
/// SQLite allows one writer per file anyway; queueing writers here instead of in SQLite's busy
/// handler keeps the waiting off the threads that run SQLite calls (so the writer holding the lock
/// can always commit) and makes waiting fair. Other processes are still handled by the busy timeout.
/// A writer that waits longer than its timeout leaves the queue with `unavailable`.
actor WriterGate {
    private struct Waiter {
        let id: UInt64
        let continuation: CheckedContinuation<Void, any Error>
    }

    private var isHeld = false
    private var waiters: [Waiter] = []
    private var nextID: UInt64 = 0

    /// How many writers wait now.
    var waiting: Int { waiters.count }

    func acquire(timeout: Duration) async throws {
        if !isHeld {
            isHeld = true
            return
        }
        let id = nextID
        nextID += 1
        let timer = Task {
            do { try await Task.sleep(for: timeout) } catch { return }
            self.expire(id)
        }
        defer { timer.cancel() }
        try await withCheckedThrowingContinuation { waiters.append(Waiter(id: id, continuation: $0)) }
    }

    func release() {
        if waiters.isEmpty {
            isHeld = false
        } else {
            waiters.removeFirst().continuation.resume()
        }
    }

    private func expire(_ id: UInt64) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(
            throwing: DatabaseError(.unavailable, "The database's write queue did not move in time."))
    }
}
