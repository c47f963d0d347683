import Foundation
import YizhanCore
import YizhanCredentials

/// A message as the API shows it: what was asked, and where it and each recipient stand.
package struct Message: Sendable, Equatable {
    package var id: String
    package var tenantID: String
    package var appID: String
    package var provider: AppProvider
    package var status: MessageStatus
    /// `{type, …fields}` as accepted.
    package var content: [String: JSONValue]
    package var metadata: [String: String]
    package var idempotencyKey: String?
    package var sendAt: Date?
    package var recipients: [Recipient]
    package var attempts: [MessageAttempt] = []
    package var createdAt: Date
    package var updatedAt: Date
}

/// One dispatch attempt of a message.
package struct MessageAttempt: Sendable, Equatable {
    package var attempt: Int
    package var startedAt: Date
    /// `sent`, `partially_failed`, `failed`, `retry`, `rate_limited`, `unknown`.
    package var outcome: String
    package var providerCode: Int?
    package var detail: String?
    package var latencyMilliseconds: Int
}
