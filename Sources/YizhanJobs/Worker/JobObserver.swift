/// What a worker tells about the attempts it runs and the jobs it rescues, for metrics; the
/// composition root supplies one (``JobWorkerConfiguration/observer``). Called on the worker's
/// tasks: keep it cheap and never block.
package protocol JobObserver: Sendable {
    /// An attempt ended; reported by the worker that ran it, once its outcome is decided (before
    /// the batched write, which drops the outcome of an attempt that lost its lease meanwhile).
    func attemptEnded(_ report: JobAttemptReport)
    /// The rescuer took back jobs whose worker stopped extending their lease: `retried` went back
    /// to `retryable`, `discarded` were on their last attempt.
    func rescued(retried: Int, discarded: Int)
}

/// How one attempt ended.
package struct JobAttemptReport: Sendable, Equatable {
    package var queue: String
    package var kind: String
    /// The state the attempt leaves the job in: `completed`, `retryable`, `discarded`, `cancelled`,
    /// `scheduled` (snoozed) or `available` (put back at shutdown); `nil` when there is nothing to
    /// write (the attempt had lost its lease).
    package var state: JobState?
    /// Whether the attempt failed: the handler threw, ran past its timeout or asked for a retry,
    /// or the job's arguments do not decode.
    package var failed: Bool
    /// How long the handler ran; `nil` when none ran (no handler for the kind).
    package var duration: Duration?

    package init(queue: String, kind: String, state: JobState?, failed: Bool, duration: Duration?) {
        self.queue = queue
        self.kind = kind
        self.state = state
        self.failed = failed
        self.duration = duration
    }
}
