import Foundation
import YizhanCore

/// What a caller asks to send.
package struct MessageRequest: Sendable {
    /// The app (or robot) to send through.
    package var appID: String
    /// `[(type, id)]`; robots and bots take none (their group).
    package var recipients: [(kind: String, address: String)]
    /// `{type, …fields}`.
    package var content: [String: JSONValue]
    /// When to send; now when nil or past.
    package var sendAt: Date?
    package var idempotencyKey: String?
    package var metadata: [String: String]

    package init(
        appID: String, recipients: [(kind: String, address: String)], content: [String: JSONValue], sendAt: Date? = nil,
        idempotencyKey: String? = nil, metadata: [String: String] = [:]
    ) {
        self.appID = appID
        self.recipients = recipients
        self.content = content
        self.sendAt = sendAt
        self.idempotencyKey = idempotencyKey
        self.metadata = metadata
    }
}
