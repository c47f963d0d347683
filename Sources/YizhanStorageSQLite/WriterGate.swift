/// Lets one SQLite write transaction of this process run at a time, in arrival order.
///
/// SQLite allows one writer per file anyway; queueing writers here instead of in SQLite's busy
/// handler keeps the waiting off the threads that run SQLite calls (so the writer holding the lock
/// can always commit) and makes waiting fair. Other processes are still handled by the busy timeout.
actor WriterGate {
    private var isHeld = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    func acquire() async {
        if !isHeld {
            isHeld = true
            return
        }
        await withCheckedContinuation { waiters.append($0) }
    }

    func release() {
        if waiters.isEmpty {
            isHeld = false
        } else {
            waiters.removeFirst().resume()
        }
    }
}
