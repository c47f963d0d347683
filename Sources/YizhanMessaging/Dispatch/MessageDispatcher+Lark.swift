import Foundation
import LarkKit
import YizhanCore
import YizhanCredentials

extension MessageDispatcher {
    /// One call per pending recipient, each with the `uuid` of (message, recipient): Lark answers a
    /// repeat within the hour with the first message instead of sending again.
    func sendLark(_ message: Message, _ recipients: inout [Recipient]) async throws -> AttemptResult {
        let content = try MessageContentRules.lark(message.content)
        let client = try await credentials.tokens.larkClient(appID: message.appID, tenantID: message.tenantID)
        let windowClosed = clock.now().timeIntervalSince(message.sendAt ?? message.createdAt) > Self.larkDedupeWindow
        for index in recipients.indices where recipients[index].status == .pending {
            if recipients[index].reason == Self.maybeDelivered && windowClosed {
                recipients[index].status = .unknown
                recipients[index].reason = "the send may have reached them; Lark's dedupe window closed before it could be retried safely"
                continue
            }
            do {
                let sent = try await client.sendMessage(
                    to: Self.larkRecipient(recipients[index]), content: content, uuid: Self.dedupeKey(message.id, index))
                recipients[index].status = .sent
                recipients[index].providerMessageID = sent.messageID
                recipients[index].providerCode = nil
                recipients[index].reason = nil
            } catch {
                switch RecipientFailure(error.category) {
                case .fail:
                    recipients[index].status = .failed
                    recipients[index].providerCode = error.code
                    recipients[index].reason = error.message
                case .retry:
                    return .retry(reason: error.message, providerCode: error.code)
                case .wait(let after):
                    return .rateLimited(after: after, providerCode: error.code)
                case .maybeDelivered:
                    recipients[index].reason = Self.maybeDelivered
                    return .retry(reason: error.message, providerCode: error.code)
                }
            }
        }
        return .done
    }

    /// The `uuid` of one recipient of a message (at most 50 characters, as Lark takes).
    static func dedupeKey(_ messageID: String, _ position: Int) -> String { "\(messageID)-\(position)" }

    static func larkRecipient(_ recipient: Recipient) -> LarkRecipient {
        switch recipient.kind {
        case "user_id": .userID(recipient.address)
        case "union_id": .unionID(recipient.address)
        case "email": .email(recipient.address)
        case "chat_id": .chatID(recipient.address)
        default: .openID(recipient.address)
        }
    }
}
