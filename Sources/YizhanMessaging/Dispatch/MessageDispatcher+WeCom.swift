import Crypto
import Foundation
import WeComKit
import YizhanCore
import YizhanCredentials
import YizhanJobs
import YizhanStorage

extension MessageDispatcher {
    /// Every pending recipient in one `message/send` (the kit splits past WeCom's limits), with the
    /// duplicate check on: the same request again within 10 minutes is dropped by WeCom, so a
    /// repeat after a lost answer is safe inside that window (and ends `unknown` after it). Emails
    /// and mobiles are turned into userids through the app's contact cache once, and the userid is
    /// kept, so a repeat is the same request. WeCom's check compares the request, not a key: another
    /// message with the identical request within the interval would be dropped as a duplicate, so it
    /// waits until the interval has passed. The members, parties and tags WeCom names invalid or
    /// unlicensed fail with that reason; the rest are sent.
    func sendWeCom(_ sending: inout Sending) async throws -> AttemptResult {
        let message = sending.message
        let content = try MessageContentRules.wecom(message.content)
        for index in sending.pending where sending.recipients[index].windowClosed(at: clock.now(), window: Self.wecomDedupeWindow) {
            sending.recipients[index].giveUp(
                code: sending.recipients[index].providerCode,
                reason: "an earlier send may have reached them, and WeCom's duplicate check ended before it could be repeated safely")
        }
        if let stop = try await resolveWeCom(&sending) { return stop }
        var keys: [String: [Int]] = [:]
        for index in sending.pending { keys[Self.wecomKey(sending.recipients[index]), default: []].append(index) }
        guard !keys.isEmpty else { return .done }
        let to = WeComRecipients(
            users: keys.keys.filter { $0.hasPrefix("u:") }.map { String($0.dropFirst(2)) }.sorted(),
            parties: keys.keys.filter { $0.hasPrefix("p:") }.map { String($0.dropFirst(2)) }.sorted(),
            tags: keys.keys.filter { $0.hasPrefix("t:") }.map { String($0.dropFirst(2)) }.sorted())
        if let wait = try await claimWeComRequest(Self.fingerprint(message.content, to), sending) { return wait }
        let client = try await credentials.tokens.wecomClient(appID: message.appID, tenantID: message.tenantID)
        let pending = sending.pending
        try await begin(pending, &sending)
        let result: WeComSendResult
        do {
            result = try await client.send(content, to: to, duplicateCheckInterval: Self.wecomDuplicateCheck)
        } catch {
            return Self.settle(error, pending, &sending)
        }
        func refuse(_ prefix: String, _ names: [String], _ reason: String) {
            for name in names {
                for index in keys[prefix + (prefix == "u:" ? name.lowercased() : name)] ?? [] {
                    sending.recipients[index].refused(code: nil, reason: reason, startedNow: sending.startedNow.contains(index))
                }
            }
        }
        refuse("u:", result.invalidUsers, "invaliduser: not a member the app can reach")
        refuse("u:", result.unlicensedUsers, "unlicenseduser: the member has no license for the app")
        refuse("p:", result.invalidParties, "invalidparty: not a department the app can reach")
        refuse("t:", result.invalidTags, "invalidtag: not a tag the app can reach")
        var stop: AttemptResult?
        var unsettled = Set<Int>()
        for failure in result.failures {
            let batch = failure.recipients.users.map { "u:" + $0.lowercased() } + failure.recipients.parties.map { "p:" + $0 }
                + failure.recipients.tags.map { "t:" + $0 }
            let indices = batch.flatMap { keys[$0] ?? [] }
            unsettled.formUnion(indices)
            let error = failure.error
            switch RecipientFailure(error.category) {
            case .fail:
                for index in indices { sending.recipients[index].refused(code: error.errcode, reason: error.errmsg, startedNow: sending.startedNow.contains(index)) }
            case .wait(let after):
                for index in indices { sending.recipients[index].untouched(startedNow: sending.startedNow.contains(index)) }
                stop = .rateLimited(after: after, providerCode: error.errcode)
            case .retry:
                for index in indices { sending.recipients[index].untouched(startedNow: sending.startedNow.contains(index)) }
                stop = stop ?? .retry(reason: error.errmsg, providerCode: error.errcode)
            case .maybeDelivered:
                for index in indices { sending.recipients[index].maybeDelivered(code: error.errcode, reason: error.errmsg) }
                stop = stop ?? .retry(reason: error.errmsg, providerCode: error.errcode)
            }
        }
        for index in pending where !unsettled.contains(index) && sending.recipients[index].status == .pending {
            sending.recipients[index].sent(providerMessageID: result.messageID)
        }
        return stop ?? .done
    }

    /// Looks up the userid of each pending email and mobile not looked up yet; a stop when a lookup
    /// must be tried again later.
    private func resolveWeCom(_ sending: inout Sending) async throws -> AttemptResult? {
        for index in sending.pending {
            let recipient = sending.recipients[index]
            guard ["email", "mobile"].contains(recipient.kind), recipient.resolvedID == nil else { continue }
            do {
                let contact = try await credentials.contacts.lookUp(
                    appID: sending.message.appID, tenantID: sending.message.tenantID, email: recipient.kind == "email" ? recipient.address : nil,
                    mobile: recipient.kind == "mobile" ? recipient.address : nil)
                guard let userID = contact.userID, !userID.isEmpty else { throw YizhanError(.contactNotFound, "nobody") }
                sending.recipients[index].resolvedID = userID.lowercased()
            } catch let error as YizhanError where error.code == .contactNotFound {
                sending.recipients[index].refused(code: nil, reason: "no member of the corp has this \(recipient.kind)", startedNow: true)
            } catch let error as YizhanError where error.code == .providerError {
                let code = error.details["provider_code"].flatMap { if case .int(let code) = $0 { code } else { nil } }
                if error.details["category"] == .string("permanent") {
                    sending.recipients[index].refused(code: code, reason: "looking up the \(recipient.kind): \(error.message)", startedNow: true)
                } else {
                    return .retry(reason: "looking up a \(recipient.kind): \(error.message)", providerCode: code)
                }
            }
        }
        return nil
    }

    /// Records that this message sends the request with `fingerprint` now, unless another message
    /// of the app sent the identical request within WeCom's duplicate check (then a wait until it ends).
    private func claimWeComRequest(_ fingerprint: String, _ sending: Sending) async throws -> AttemptResult? {
        let (store, now, message, context) = (store, clock.now(), sending.message, sending.context)
        let since = now.addingTimeInterval(-TimeInterval(Self.wecomDuplicateCheck))
        let earlier = try await database.transaction { work -> Date? in
            try await context.holdLease(in: work)
            if let earlier = try await store.identicalSend(appID: message.appID, fingerprint: fingerprint, excluding: message.id, since: since, in: work) {
                return earlier
            }
            try await store.recordFingerprint(fingerprint, messageID: message.id, at: now, in: work)
            return nil
        }
        guard let earlier else { return nil }
        let wait = max(1, earlier.addingTimeInterval(TimeInterval(Self.wecomDuplicateCheck + 1)).timeIntervalSince(now))
        return .rateLimited(after: .seconds(wait), providerCode: nil)
    }

    /// A send that failed as a whole.
    static func settle(_ error: WeComError, _ pending: [Int], _ sending: inout Sending) -> AttemptResult {
        switch RecipientFailure(error.category) {
        case .fail:
            for index in pending {
                sending.recipients[index].refused(code: error.errcode, reason: error.errmsg, startedNow: sending.startedNow.contains(index))
            }
            return .done
        case .retry:
            for index in pending { sending.recipients[index].untouched(startedNow: sending.startedNow.contains(index)) }
            return .retry(reason: error.errmsg, providerCode: error.errcode)
        case .wait(let after):
            for index in pending { sending.recipients[index].untouched(startedNow: sending.startedNow.contains(index)) }
            return .rateLimited(after: after, providerCode: error.errcode)
        case .maybeDelivered:
            for index in pending { sending.recipients[index].maybeDelivered(code: error.errcode, reason: error.errmsg) }
            return .retry(reason: error.errmsg, providerCode: error.errcode)
        }
    }

    /// A recipient's key in the request: `u:` and a lower-cased userid (WeCom answers them so), `p:`
    /// a department, `t:` a tag.
    static func wecomKey(_ recipient: Recipient) -> String {
        switch recipient.kind {
        case "party": "p:" + recipient.address
        case "tag": "t:" + recipient.address
        case "email", "mobile": "u:" + (recipient.resolvedID ?? "")
        default: "u:" + recipient.address.lowercased()
        }
    }

    /// What WeCom's duplicate check compares: the content and the recipients.
    static func fingerprint(_ content: [String: JSONValue], _ to: WeComRecipients) -> String {
        let text = MessageJSON.text(content) + "|" + to.users.joined(separator: "|") + "#" + to.parties.joined(separator: "|") + "#"
            + to.tags.joined(separator: "|")
        return SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
