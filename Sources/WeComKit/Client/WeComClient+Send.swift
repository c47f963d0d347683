import ProviderKitSupport

extension WeComClient {
    /// `POST /cgi-bin/message/send`: `content` to members, departments and tags.
    ///
    /// Partly invalid recipients do not fail the call: they are in the result. More recipients
    /// than one request takes (1,000 members, 100 departments, 100 tags) are sent as several
    /// requests, one after another, and their answers merged; the split is the same each time
    /// for the same recipients, so with `duplicateCheckInterval` a whole send may be repeated
    /// and WeCom drops the requests it already took.
    ///
    /// How a split send reports a partial failure:
    /// - If no request has been accepted when one fails, the send throws that error, as a
    ///   single request would: nothing was sent, or (``ProviderErrorCategory/maybeDelivered``)
    ///   only that request may have been.
    /// - Once one has been accepted, the send does not throw: each failed request is in
    ///   ``WeComSendResult/failures`` with its recipients and error, and
    ///   ``WeComSendResult/reachedEveryone`` is false. After a rate limit or a refused token
    ///   the rest are not tried and are listed with that same error (nothing was done for
    ///   them); after any other failure the next requests still go.
    /// - A request answered 81013 (all its recipients invalid) counts its recipients as
    ///   invalid; only when every request is answered so does the send throw 81013.
    ///
    /// WeCom dedupes recipients within a request, not across them: a member named in one
    /// request and reached through a department or tag in another gets the message twice.
    /// With `duplicateCheckInterval`, WeCom drops an identical request within that many seconds
    /// (at most 4 hours): the only way to retry a ``ProviderErrorCategory/maybeDelivered`` send
    /// safely, since the request is the same bytes.
    public func send(
        _ content: WeComMessageContent, to recipients: WeComRecipients, safe: Bool = false,
        duplicateCheckInterval: Int? = nil
    ) async throws(WeComError) -> WeComSendResult {
        var result = WeComSendResult()
        var accepted = false
        var allInvalid: WeComError?
        var stopped: WeComError?
        for batch in recipients.batches {
            if let stopped {
                result.failures.append(WeComSendFailure(recipients: batch, error: stopped))
                continue
            }
            do {
                result.merge(try await sendRequest(content, to: batch, safe: safe, duplicateCheckInterval: duplicateCheckInterval))
                accepted = true
            } catch where error.errcode == Self.allRecipientsInvalid {
                allInvalid = error
                result.invalidUsers += batch.users.map { $0.lowercased() }
                result.invalidParties += batch.parties
                result.invalidTags += batch.tags
            } catch {
                guard accepted else { throw error }
                result.failures.append(WeComSendFailure(recipients: batch, error: error))
                if error.category.isRateLimited || error.category == .authentication { stopped = error }
            }
        }
        if !accepted, let allInvalid { throw allInvalid }
        return result
    }

    /// 81013: every member, department and tag of the request is invalid or out of the app's reach.
    static let allRecipientsInvalid = 81013

    /// One `message/send` request, for recipients within WeCom's limits.
    private func sendRequest(
        _ content: WeComMessageContent, to recipients: WeComRecipients, safe: Bool, duplicateCheckInterval: Int?
    ) async throws(WeComError) -> WeComSendResult {
        var body: [String: Any] = [
            "msgtype": content.messageType, "agentid": configuration.agentID, content.messageType: content.body,
            "safe": safe ? 1 : 0,
        ]
        if !recipients.users.isEmpty { body["touser"] = recipients.users.joined(separator: "|") }
        if !recipients.parties.isEmpty { body["toparty"] = recipients.parties.joined(separator: "|") }
        if !recipients.tags.isEmpty { body["totag"] = recipients.tags.joined(separator: "|") }
        if let duplicateCheckInterval {
            body["enable_duplicate_check"] = 1
            body["duplicate_check_interval"] = duplicateCheckInterval
        }
        let answer = try await authorized(path: "/cgi-bin/message/send", body: body, idempotent: false)
        func list(_ key: String) -> [String] {
            (answer[key] as? String).map { $0.split(separator: "|").map(String.init) } ?? []
        }
        let messageID = answer["msgid"] as? String
        return WeComSendResult(
            messageID: messageID, messageIDs: messageID.map { [$0] } ?? [], invalidUsers: list("invaliduser"),
            invalidParties: list("invalidparty"), invalidTags: list("invalidtag"), unlicensedUsers: list("unlicenseduser"))
    }
}
