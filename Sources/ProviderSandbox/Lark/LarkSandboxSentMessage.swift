import Foundation

/// A message an app created, as the sandbox keeps it for replies, recalls and card updates.
struct LarkSandboxSentMessage: Sendable {
    var message: LarkSandboxMessage
    var appID: String
    var sentAt: Date

    var chatID: String { message.chatID }
    var deleted: Bool { message.deleted }
}
