import Foundation

/// One job row.
package struct Job: Sendable, Equatable, Identifiable {
    package var id: Int64
    /// The queue whose workers run it.
    package var queue: String
    /// Which handler runs it (``JobHandler/kind``).
    package var kind: String
    /// The handler's arguments as JSON text.
    package var args: String
    package var state: JobState
    /// Lower runs first.
    package var priority: Int
    /// Attempts counted so far (a running job counts the one in progress).
    package var attempt: Int
    package var maxAttempts: Int
    /// When it may run (or, while running, when it was due).
    package var runAt: Date
    /// At most one non-final job holds a given key.
    package var uniqueKey: String?
    /// One entry per failed attempt, oldest first.
    package var errors: [JobAttemptError]
    /// The worker that claimed it last.
    package var attemptedBy: String?
    package var attemptedAt: Date?
    /// While running: when the rescuer may take it back from a worker that stopped extending it.
    package var leaseExpiresAt: Date?
    /// An operator asked to cancel it while it was running.
    package var cancelRequestedAt: Date?
    /// The tenant the job belongs to, if any.
    package var tenantID: String?
    package var createdAt: Date
    /// When it reached a final state.
    package var finalizedAt: Date?
}

/// Why one attempt failed.
package struct JobAttemptError: Sendable, Equatable, Codable {
    /// When the attempt ended.
    package var at: Date
    /// Which attempt it was (1-based).
    package var attempt: Int
    /// What went wrong (the error's description; never arguments).
    package var message: String

    package init(at: Date, attempt: Int, message: String) {
        self.at = at
        self.attempt = attempt
        self.message = message
    }
}
