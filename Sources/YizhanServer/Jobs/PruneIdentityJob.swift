import YizhanIdentity
import YizhanJobs

/// Deletes expired refresh tokens, idle login-throttle counters and audit entries past retention,
/// through the identity layer's maintenance service.
struct PruneIdentityJob: JobHandler {
    struct Args: Codable, Sendable {
        /// Days audit entries are kept; 0 keeps them forever.
        var auditRetentionDays: Double
    }

    static let kind = "identity.prune"
    static let queue = JobQueue.maintenanceQueue
    static let maxAttempts = 3

    let identity: Identity

    func run(_ args: Args, context: JobContext) async throws -> JobOutcome {
        let retention: Duration? = args.auditRetentionDays > 0 ? .seconds(args.auditRetentionDays * 86_400) : nil
        try await identity.maintenance.prune(auditRetention: retention)
        return .completed
    }
}
