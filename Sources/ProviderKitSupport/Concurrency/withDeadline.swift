/// Runs `operation` and returns what it returns, or throws `onTimeout()` once `timeout` has passed,
/// whichever comes first; the loser is cancelled.
///
/// Unlike a task group, this returns at the deadline even when `operation` ignores cancellation
/// (a wait on a shared task, a call stuck in a library): the operation runs in a task of its own
/// and is left to end by itself. A cancelled caller gets `CancellationError` at once.
///
/// ```swift
/// let contact = try await withDeadline(.seconds(5), onTimeout: { LookupTimedOut() }) {
///     try await directory.ask(app, lookup)
/// }
/// ```
package func withDeadline<Value: Sendable>(
    _ timeout: Duration, onTimeout: @escaping @Sendable () -> any Error,
    _ operation: @escaping @Sendable () async throws -> Value
) async throws -> Value {
    let outcome = FirstOutcome<Value>()
    let work = Task {
        do { outcome.settle(.success(try await operation())) } catch { outcome.settle(.failure(error)) }
    }
    let timer = Task {
        // A cancelled sleep means the operation ended first.
        guard (try? await Task.sleep(for: timeout)) != nil else { return }
        outcome.settle(.failure(onTimeout()))
    }
    defer {
        work.cancel()
        timer.cancel()
    }
    return try await withTaskCancellationHandler {
        try await outcome.value()
    } onCancel: {
        outcome.settle(.failure(CancellationError()))
    }
}

/// The value of `task`, or `CancellationError` as soon as the caller is cancelled; `task` itself
/// is not cancelled (others may be waiting for it too).
package func cancellableValue<Value: Sendable>(of task: Task<Value, any Error>) async throws -> Value {
    let outcome = FirstOutcome<Value>()
    Task { outcome.settle(await task.result) }
    return try await withTaskCancellationHandler {
        try await outcome.value()
    } onCancel: {
        outcome.settle(.failure(CancellationError()))
    }
}
