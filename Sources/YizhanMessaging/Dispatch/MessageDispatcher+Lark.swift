import Foundation
import LarkKit
import YizhanCore
import YizhanCredentials

extension MessageDispatcher {
    /// One call per pending recipient, each with the `uuid` of (message, recipient): Lark answers a
    /// repeat within the hour with the first message instead of sending again. Recipients are marked
    /// attempted 50 at a time before their calls, and their outcomes written after.
    func sendLark(_ sending: inout Sending) async throws -> AttemptResult {
        let content = try MessageContentRules.lark(sending.message.content)
        let client = try await credentials.tokens.larkClient(appID: sending.message.appID, tenantID: sending.message.tenantID)
        let pending = sending.pending
        for start in stride(from: 0, to: pending.count, by: Self.chunk) {
            let chunk = Array(pending[start..<min(start + Self.chunk, pending.count)])
            try await begin(chunk, &sending)
            var stop: AttemptResult?
            var reached = 0
            for index in chunk {
                reached += 1
                if sending.recipients[index].windowClosed(at: clock.now(), window: Self.larkDedupeWindow) {
                    sending.recipients[index].giveUp(
                        code: sending.recipients[index].providerCode,
                        reason: "an earlier send may have reached them, and Lark's dedupe window closed before it could be repeated safely")
                    continue
                }
                let startedNow = sending.startedNow.contains(index)
                do {
                    let sent = try await client.sendMessage(
                        to: Self.larkRecipient(sending.recipients[index]), content: content, uuid: Self.dedupeKey(sending.message.id, index))
                    sending.recipients[index].sent(providerMessageID: sent.messageID)
                } catch {
                    switch RecipientFailure(error.category) {
                    case .fail:
                        sending.recipients[index].refused(code: error.code, reason: error.message, startedNow: startedNow)
                    case .retry:
                        sending.recipients[index].untouched(startedNow: startedNow)
                        stop = .retry(reason: error.message, providerCode: error.code)
                    case .wait(let after):
                        sending.recipients[index].untouched(startedNow: startedNow)
                        stop = .rateLimited(after: after, providerCode: error.code)
                    case .maybeDelivered:
                        sending.recipients[index].maybeDelivered(code: error.code, reason: error.message)
                        stop = .retry(reason: error.message, providerCode: error.code)
                    }
                }
                if stop != nil { break }
            }
            // The rest of the chunk was not called by this attempt.
            for index in chunk.dropFirst(reached) { sending.recipients[index].untouched(startedNow: sending.startedNow.contains(index)) }
            try await save(chunk, sending)
            if let stop { return stop }
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
