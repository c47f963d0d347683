import YizhanCredentials
import YizhanJobs

/// Deletes expired entries of the contact cache, through the credentials layer's directory.
struct PruneContactsJob: JobHandler {
    struct Args: Codable, Sendable {}

    static let kind = "credentials.prune_contacts"
    static let queue = JobQueue.maintenanceQueue
    static let maxAttempts = 3

    let credentials: Credentials

    func run(_ args: Args, context: JobContext) async throws -> JobOutcome {
        try await credentials.contacts.prune()
        return .completed
    }
}
