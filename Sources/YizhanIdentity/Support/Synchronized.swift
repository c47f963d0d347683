import Synchronization

/// A value behind a mutex, for small shared caches.
final class Synchronized<Value: Sendable>: Sendable {
    private let mutex: Mutex<Value>

    init(_ value: Value) { mutex = Mutex(value) }

    func read<Result: Sendable>(_ body: (Value) -> Result) -> Result {
        mutex.withLock { body($0) }
    }

    func write<Result: Sendable>(_ body: (inout Value) -> Result) -> Result {
        mutex.withLock { body(&$0) }
    }
}
