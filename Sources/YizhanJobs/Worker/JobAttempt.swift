import Foundation
import Synchronization
import YizhanStorage

/// One running attempt: the handler's task, and the first of its ends — the handler returned or
/// threw, it ran past its timeout, or the worker stopped it (an operator's cancel, a shutdown).
final class JobAttempt: Sendable {
    /// Why the worker stopped a handler.
    enum Stop: Sendable {
        case operatorCancel
        case shutdown
    }

    /// How the attempt ended.
    enum Ending: Sendable {
        case finished(JobOutcome)
        case failed(any Error)
        case timedOut(Duration)
        case stopped(Stop)

        /// Whether the attempt failed (threw, timed out, asked for a retry); a lost lease is not
        /// this attempt's failure.
        var isFailure: Bool {
            switch self {
            case .finished(.retry), .timedOut: true
            case .failed(let error as JobsError) where error.code == .lostLease: false
            case .failed: true
            case .finished, .stopped: false
            }
        }
    }

    private struct State {
        var continuation: CheckedContinuation<Ending, Never>?
        var ending: Ending?
    }
    private let state = Mutex(State())
    private let handlerTask = Mutex<Task<Void, Never>?>(nil)

    /// Runs `body` until it ends or `timeout` passes; a handler that ignores cancellation is left
    /// running, but its attempt has ended.
    func run(timeout: Duration, _ body: @escaping @Sendable () async throws -> JobOutcome) async -> Ending {
        let task = Task {
            do { self.end(.finished(try await body())) } catch { self.end(.failed(error)) }
        }
        handlerTask.withLock { $0 = task }
        let timer = Task {
            do { try await Task.sleep(for: timeout) } catch { return }
            self.end(.timedOut(timeout))
        }
        let ending = await withCheckedContinuation { continuation in
            let ended = state.withLock { state -> Ending? in
                if let ending = state.ending { return ending }
                state.continuation = continuation
                return nil
            }
            if let ended { continuation.resume(returning: ended) }
        }
        timer.cancel()
        task.cancel()
        return ending
    }

    /// Ends the attempt with `stop` unless it has ended already.
    func stop(_ stop: Stop) { end(.stopped(stop)) }

    private func end(_ ending: Ending) {
        let continuation = state.withLock { state -> CheckedContinuation<Ending, Never>? in
            guard state.ending == nil else { return nil }
            state.ending = ending
            defer { state.continuation = nil }
            return state.continuation
        }
        continuation?.resume(returning: ending)
    }
}
