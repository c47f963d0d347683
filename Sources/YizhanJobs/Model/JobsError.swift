/// A failure of the job queue itself.
package struct JobsError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    package struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable { case lostLease, invalidJob }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The job is no longer held by this attempt: its lease ran out and it was rescued.
        package static let lostLease = Code(.lostLease)
        /// The job to enqueue is malformed (empty queue or kind, attempts below one).
        package static let invalidJob = Code(.invalidJob)

        package var description: String { base.rawValue }
    }

    package var code: Code
    package var message: String

    package init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    package var description: String { message }

    static func lostLease(_ id: Int64) -> JobsError {
        JobsError(.lostLease, "Job \(id) is no longer held by this attempt.")
    }
}
