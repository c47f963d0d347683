/// Where a job is in its life. The moves between states are ``JobTransition``s (drawn in
/// `docs/jobs.md`); every statement that changes a job's state takes its allowed sources from there.
package enum JobState: String, Sendable, Codable, CaseIterable {
    /// Waiting to run now: enqueued with no future time, or put back for another try at once.
    case available
    /// Waiting for its `run_at`: enqueued for later, or snoozed by its handler.
    case scheduled
    /// Claimed by a worker, which holds it until `lease_expires_at` (and extends that while it runs).
    case running
    /// Failed an attempt and waits for its backoff (`run_at`) before the next one.
    case retryable
    /// Final: the handler succeeded.
    case completed
    /// Final: cancelled by an operator or by its handler; it will not run again unless retried.
    case cancelled
    /// Final: failed its last attempt, or its arguments do not decode as its handler's; `errors`
    /// says why.
    case discarded

    /// States a producer claims from once `run_at` has come.
    package static let pending: [JobState] = [.available, .scheduled, .retryable]
    /// States in which a job still counts against its unique key.
    package static let nonFinal: [JobState] = [.available, .scheduled, .running, .retryable]
    /// Final states: the job has a `finalized_at` and is deleted after the retention period.
    package static let final: [JobState] = [.completed, .cancelled, .discarded]

    /// Whether the job is done (it will not run again unless retried by hand).
    package var isFinal: Bool { Self.final.contains(self) }

    /// `'a', 'b'` for an SQL `IN (…)`: the states are fixed identifiers, never input.
    static func sqlList(_ states: some Sequence<JobState>) -> String {
        states.map { "'\($0.rawValue)'" }.joined(separator: ", ")
    }
}
