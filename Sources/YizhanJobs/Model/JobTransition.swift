/// Every way a job's state may change, with the states it may start from: the one table of the
/// state machine (`docs/jobs.md` draws it). Stores write `WHERE state IN (transition.sources)`, so a
/// move the table does not allow matches no row instead of happening.
package enum JobTransition: String, Sendable, CaseIterable {
    /// A producer takes a due job: counts an attempt, sets the lease.
    case claim
    /// The handler returned success.
    case complete
    /// The attempt failed (thrown error, timeout, `retry(after:)`) and attempts remain.
    case fail
    /// The handler asked to run again later without counting this attempt.
    case snooze
    /// The handler cancelled its job, or an operator cancelled a running one that then stopped.
    case cancelRunning
    /// An operator cancelled a job that was not running.
    case cancelWaiting
    /// The last attempt failed, or the job's arguments do not decode as its handler's.
    case discard
    /// The worker holding it died: its lease ran out (to `retryable`, or `discarded` after the last attempt).
    case rescue
    /// A worker shutting down gives back a job it did not finish, without counting the attempt.
    case putBack
    /// An operator runs a waiting or final job again now.
    case retryNow

    /// The states this transition may start from.
    package var sources: [JobState] {
        switch self {
        case .claim: JobState.pending
        case .complete, .fail, .snooze, .cancelRunning, .discard, .rescue, .putBack: [.running]
        case .cancelWaiting: JobState.pending
        case .retryNow: [.scheduled, .retryable, .completed, .cancelled, .discarded]
        }
    }

    /// The states it may end in.
    package var targets: [JobState] {
        switch self {
        case .claim: [.running]
        case .complete: [.completed]
        case .fail: [.retryable]
        case .snooze: [.scheduled]
        case .cancelRunning, .cancelWaiting: [.cancelled]
        case .discard: [.discarded]
        case .rescue: [.retryable, .discarded]
        case .putBack: [.available]
        case .retryNow: [.available]
        }
    }

    /// Whether some transition moves a job from `from` to `to`.
    package static func allows(_ from: JobState, _ to: JobState) -> Bool {
        allCases.contains { $0.sources.contains(from) && $0.targets.contains(to) }
    }

    /// `state IN (…)` over this transition's sources.
    var sourceCondition: String { "state IN (\(JobState.sqlList(sources)))" }
}
