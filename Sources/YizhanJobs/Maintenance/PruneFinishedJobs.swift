/// Deletes completed, cancelled and discarded jobs finalized longer ago than the retention.
package struct PruneFinishedJobs: JobHandler {
    package struct Args: Codable, Sendable {
        /// How long final jobs are kept.
        package var retentionSeconds: Double

        package init(retentionSeconds: Double) { self.retentionSeconds = retentionSeconds }
    }

    package static let kind = "jobs.prune"
    package static let queue = JobQueue.maintenanceQueue
    package static let maxAttempts = 3

    private let admin: JobAdmin

    package init(admin: JobAdmin) { self.admin = admin }

    package func run(_ args: Args, context: JobContext) async throws -> JobOutcome {
        try await admin.deleteFinal(olderThan: .milliseconds(Int64(args.retentionSeconds * 1000)))
        return .completed
    }
}
