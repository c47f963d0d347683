import Foundation

/// Runs one kind of job: declares its kind and its `Codable` arguments, and what to do with them.
///
/// ```swift
/// struct SendMessage: JobHandler {
///     struct Args: Codable, Sendable { var messageID: String }
///     static let kind = "messaging.send"
///     func run(_ args: Args, context: JobContext) async throws -> JobOutcome {
///         try await sender.send(args.messageID)
///         return .completed
///     }
/// }
/// ```
///
/// A thrown error fails the attempt: the job is retried after ``backoff(attempt:)``, and discarded
/// with its errors kept once ``maxAttempts`` are used. A handler that runs longer than ``timeout``
/// is cancelled and the attempt fails. Handlers must tolerate running more than once (a worker may
/// die after the work but before recording it); use ``JobContext/complete(in:)`` to record the
/// job's completion in the transaction of its effect when that matters.
package protocol JobHandler: Sendable {
    /// The arguments, stored as JSON.
    associatedtype Args: Codable & Sendable

    /// The stable name stored with each job (`"messaging.send"`).
    static var kind: String { get }
    /// The queue its jobs go to unless the caller names another.
    static var queue: String { get }
    /// Attempts before the job is discarded.
    static var maxAttempts: Int { get }
    /// How long one attempt may run.
    static var timeout: Duration { get }

    /// Runs one attempt.
    func run(_ args: Args, context: JobContext) async throws -> JobOutcome

    /// How long to wait before attempt `attempt + 1` after attempt `attempt` failed.
    func backoff(attempt: Int) -> Duration
}

extension JobHandler {
    package static var queue: String { JobOptions.defaultQueue }
    package static var maxAttempts: Int { JobOptions.defaultMaxAttempts }
    package static var timeout: Duration { .seconds(60) }

    /// Exponential with full jitter in the upper half: 1 s, 2 s, 4 s, … up to an hour, each drawn
    /// from [½, 1] of that, so jobs that failed together do not return together.
    package func backoff(attempt: Int) -> Duration { JobBackoff.exponential(attempt: attempt) }
}

/// The default retry delays.
package enum JobBackoff {
    /// The longest wait between attempts.
    package static let maximum: Duration = .seconds(3600)

    /// `2^(attempt-1)` seconds (capped at ``maximum``), scaled by a random factor in [0.5, 1].
    package static func exponential(attempt: Int) -> Duration {
        let base = min(Double(maximum.components.seconds), pow(2, Double(max(0, min(attempt - 1, 30)))))
        return .milliseconds(Int64(base * 1000 * Double.random(in: 0.5...1)))
    }
}

/// How an attempt ended, when it did not throw.
package enum JobOutcome: Sendable, Equatable {
    /// Done.
    case completed
    /// Run again at `until` without counting this attempt (waiting on something, not failing).
    case snooze(until: Date)
    /// Failed, but the handler knows when to try again (a provider's rate-limit hint): counts as an
    /// attempt, with `reason` kept in the errors.
    case retry(after: Duration, reason: String)
    /// Stop for good: the job ends `cancelled` with `reason` kept in the errors.
    case cancel(reason: String)
}
