import Foundation
import WeComKit
import YizhanCore
import YizhanCredentials

extension MessageDispatcher {
    /// Every pending recipient in one `message/send` (the kit splits past WeCom's limits), with the
    /// duplicate check on: a retry of the same request within 4 hours is dropped by WeCom. Emails and
    /// mobiles are turned into userids through the app's contact cache first. The members, parties and
    /// tags WeCom names invalid or unlicensed fail with that reason; the rest are sent.
    func sendWeCom(_ message: Message, _ recipients: inout [Recipient]) async throws -> AttemptResult {
        let content = try MessageContentRules.wecom(message.content)
        var users: [String: [Int]] = [:]
        var parties: [String: [Int]] = [:]
        var tags: [String: [Int]] = [:]
        for index in recipients.indices where recipients[index].status == .pending {
            let recipient = recipients[index]
            switch recipient.kind {
            case "party": parties[recipient.address, default: []].append(index)
            case "tag": tags[recipient.address, default: []].append(index)
            case "email", "mobile":
                do {
                    let contact = try await credentials.contacts.lookUp(
                        appID: message.appID, tenantID: message.tenantID, email: recipient.kind == "email" ? recipient.address : nil,
                        mobile: recipient.kind == "mobile" ? recipient.address : nil)
                    users[(contact.userID ?? "").lowercased(), default: []].append(index)
                } catch let error as YizhanError where error.code == .contactNotFound {
                    recipients[index].status = .failed
                    recipients[index].reason = "no member of the corp has this \(recipient.kind)"
                } catch let error as YizhanError where error.code == .providerError {
                    return .retry(reason: "looking up \(recipient.kind): \(error.message)", providerCode: nil)
                }
            default: users[recipient.address.lowercased(), default: []].append(index)
            }
        }
        guard !(users.isEmpty && parties.isEmpty && tags.isEmpty) else { return .done }
        let client = try await credentials.tokens.wecomClient(appID: message.appID, tenantID: message.tenantID)
        let to = WeComRecipients(users: users.keys.sorted(), parties: parties.keys.sorted(), tags: tags.keys.sorted())
        let result: WeComSendResult
        do {
            result = try await client.send(content, to: to, duplicateCheckInterval: Self.wecomDuplicateCheck)
        } catch {
            return Self.settleWeCom(error, message: message, recipients: &recipients, now: clock.now())
        }
        func fail(_ map: [String: [Int]], _ names: [String], _ reason: String) {
            for name in names {
                for index in map[name.lowercased()] ?? map[name] ?? [] {
                    recipients[index].status = .failed
                    recipients[index].reason = reason
                }
            }
        }
        fail(users, result.invalidUsers, "invaliduser: not a member the app can reach")
        fail(users, result.unlicensedUsers, "unlicenseduser: the member has no license for the app")
        fail(parties, result.invalidParties, "invalidparty: not a department the app can reach")
        fail(tags, result.invalidTags, "invalidtag: not a tag the app can reach")
        var retry: AttemptResult?
        for failure in result.failures {
            let indices = failure.recipients.users.flatMap { users[$0.lowercased()] ?? [] }
                + failure.recipients.parties.flatMap { parties[$0] ?? [] } + failure.recipients.tags.flatMap { tags[$0] ?? [] }
            switch RecipientFailure(failure.error.category) {
            case .fail:
                for index in indices where recipients[index].status == .pending {
                    recipients[index].status = .failed
                    recipients[index].providerCode = failure.error.errcode
                    recipients[index].reason = failure.error.errmsg
                }
            case .wait(let after): retry = .rateLimited(after: after, providerCode: failure.error.errcode)
            case .retry, .maybeDelivered: retry = retry ?? .retry(reason: failure.error.errmsg, providerCode: failure.error.errcode)
            }
            if case .maybeDelivered = RecipientFailure(failure.error.category) {
                for index in indices { recipients[index].reason = Self.maybeDelivered }
            }
            for index in indices where recipients[index].status == .pending { recipients[index].providerCode = failure.error.errcode }
        }
        let failed = Set(result.failures.flatMap { $0.recipients.users.map { $0.lowercased() } + $0.recipients.parties + $0.recipients.tags })
        for (name, indices) in users.merging(parties, uniquingKeysWith: +).merging(tags, uniquingKeysWith: +) where !failed.contains(name) {
            for index in indices where recipients[index].status == .pending {
                recipients[index].status = .sent
                recipients[index].providerCode = nil
                recipients[index].reason = nil
                recipients[index].providerMessageID = result.messageID
            }
        }
        return retry ?? .done
    }

    /// A send that failed as a whole.
    static func settleWeCom(_ error: WeComError, message: Message, recipients: inout [Recipient], now: Date) -> AttemptResult {
        switch RecipientFailure(error.category) {
        case .fail:
            settle(&recipients, status: .failed, code: error.errcode, reason: error.errmsg)
            return .done
        case .retry:
            return .retry(reason: error.errmsg, providerCode: error.errcode)
        case .wait(let after):
            return .rateLimited(after: after, providerCode: error.errcode)
        case .maybeDelivered:
            // The same request again is dropped by WeCom within the duplicate check's interval.
            guard now.timeIntervalSince(message.sendAt ?? message.createdAt) < TimeInterval(wecomDuplicateCheck - 300) else {
                settle(&recipients, status: .unknown, code: error.errcode, reason: "the send may have reached them; \(error.errmsg)")
                return .done
            }
            for index in recipients.indices where recipients[index].status == .pending { recipients[index].reason = maybeDelivered }
            return .retry(reason: error.errmsg, providerCode: error.errcode)
        }
    }
}
