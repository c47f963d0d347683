import Foundation
import YizhanStorage

extension AttemptOutcome {
    /// The longest a retry hint or a snooze may put a job off: 30 days.
    static let longestWait: Duration = .seconds(30 * 24 * 3600)
    /// The longest error message kept per attempt.
    static let longestMessage = 2000

    static func milliseconds(_ duration: Duration) -> Int64 {
        duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
    }

    static func bounded(_ message: String) -> String {
        message.count <= longestMessage ? message : String(message.prefix(longestMessage)) + "…"
    }

    /// What to write for `job` after its attempt ended with `ending`, or `nil` when there is nothing
    /// to write (completed in the handler's transaction, or no longer this attempt's).
    static func make(
        _ job: Job, _ ending: JobAttempt.Ending, backoff: (Int) -> Duration, now: Date
    ) -> AttemptOutcome? {
        let stamp = Timestamp.milliseconds(now)
        func outcome(_ state: JobState, attempt: Int? = nil, runAt: Int64? = nil, message: String? = nil) -> AttemptOutcome {
            precondition(JobTransition.allows(.running, state), "no transition from running to \(state)")
            return AttemptOutcome(
                id: job.id, attempt: job.attempt, new_attempt: attempt ?? job.attempt, state: state.rawValue,
                run_at: runAt ?? Timestamp.milliseconds(job.runAt), message: message.map(Self.bounded), at: stamp)
        }
        func failure(_ message: String, after delay: Duration? = nil) -> AttemptOutcome {
            guard job.attempt < job.maxAttempts else { return outcome(.discarded, message: message) }
            // A provider's hint (or a handler's) is trusted within reason: never negative, never
            // past `longestWait`, so a huge value cannot overflow the arithmetic into a crash loop.
            let wait = min(max(delay ?? backoff(job.attempt), .zero), Self.longestWait)
            return outcome(.retryable, runAt: stamp + Self.milliseconds(wait), message: message)
        }
        switch ending {
        case .finished(.completed):
            return outcome(.completed)
        case .finished(.snooze(let until)):
            let latest = now.addingTimeInterval(Self.longestWait / .seconds(1))
            return outcome(.scheduled, attempt: job.attempt - 1, runAt: Timestamp.milliseconds(min(until, latest)))
        case .finished(.retry(let after, let reason)):
            return failure(reason, after: after)
        case .finished(.cancel(let reason)):
            return outcome(.cancelled, message: reason)
        case .failed(let error as JobsError) where error.code == .lostLease:
            return nil
        case .failed(let error as UndecodableArguments):
            return outcome(.discarded, message: error.description)
        case .failed(let error):
            return failure(String(describing: error))
        case .timedOut(let timeout):
            return failure("the attempt ran longer than its timeout of \(timeout) and was cancelled")
        case .stopped(.operatorCancel):
            return outcome(.cancelled, message: "cancelled by an operator while running")
        case .stopped(.shutdown):
            return outcome(.available, attempt: job.attempt - 1, runAt: stamp)
        }
    }

    /// The outcome of a job no handler here knows (a worker claims only its registry's kinds, so
    /// only a registry changed under it could get one): back to `available` in a minute, the
    /// attempt not counted, for a worker that knows the kind.
    static func unknownKind(_ job: Job, now: Date) -> AttemptOutcome {
        AttemptOutcome(
            id: job.id, attempt: job.attempt, new_attempt: job.attempt - 1, state: JobState.available.rawValue,
            run_at: Timestamp.milliseconds(now) + milliseconds(.seconds(60)), message: nil, at: Timestamp.milliseconds(now))
    }
}
