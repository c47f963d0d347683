import Foundation
import YizhanJobs

/// Sends one accepted message (the job accepting it enqueued, at its `send_at`). Its arguments
/// hold the message id only: the jobs API shows arguments to the tenant's administrators.
package struct DispatchMessageJob: JobHandler {
    package struct Args: Codable, Sendable {
        package var messageID: String

        package init(messageID: String) { self.messageID = messageID }

        enum CodingKeys: String, CodingKey { case messageID = "message_id" }
    }

    package static let kind = "messaging.dispatch"
    /// Enough to ride out an hour of provider trouble with the default backoff.
    package static let maxAttempts = 14
    /// A message of 1,000 Lark recipients is 1,000 calls.
    package static let timeout: Duration = .seconds(600)

    let dispatcher: MessageDispatcher

    package init(dispatcher: MessageDispatcher) { self.dispatcher = dispatcher }

    package func run(_ args: Args, context: JobContext) async throws -> JobOutcome {
        try await dispatcher.dispatch(messageID: args.messageID, context: context)
    }
}
