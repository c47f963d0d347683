import Foundation

/// One message the sandbox accepted, rejected or silently dropped, for `GET /_sandbox/messages`.
public struct SandboxRecord: Sendable, Codable, Equatable {
    /// `accepted`, `rejected` or `dropped`.
    public enum Outcome: String, Sendable, Codable {
        case accepted, rejected, dropped
    }

    public var provider: String
    public var appID: String
    public var outcome: Outcome
    public var recipientType: String
    public var recipient: String
    public var messageType: String
    public var content: String
    public var dedupeKey: String?
    public var messageID: String?
    /// Why it was rejected or dropped (provider code and message).
    public var reason: String?
    public var time: Date

    enum CodingKeys: String, CodingKey {
        case provider, outcome, recipient, content, reason, time
        case appID = "app_id"
        case recipientType = "recipient_type"
        case messageType = "message_type"
        case dedupeKey = "dedupe_key"
        case messageID = "message_id"
    }
}
