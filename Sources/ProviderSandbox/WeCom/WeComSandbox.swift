import Foundation

/// The state of the WeCom stand-in: apps, tokens, members, sent messages.
actor WeComSandbox {
    static let tokenLifetime: TimeInterval = 7200
    /// Per app, per member: 30 messages a minute and 1,000 an hour; the excess is dropped
    /// silently (WeCom: "超过部分会被丢弃不下发"), answered as if sent.
    static let perMemberPerMinute = 30
    static let perMemberPerHour = 1000
    static let messageTypes: Set<String> = [
        "text", "markdown", "textcard", "news", "mpnews", "image", "voice", "video", "file", "template_card",
        "miniprogram_notice",
    ]

    let clock: SandboxClock
    let log: SandboxLog
    let stats = SandboxStats()
    /// Revoked tokens → their corp, so that calls made with them still count for the corp's stats.
    private var revokedCorps: [String: String] = [:]
    private var apps: [String: WeComSandboxApp] = [:]  // "corp|agent"
    /// corp → userid → member
    var users: [String: [String: WeComSandboxUser]] = [:]
    /// corp → department ids registered or named by a member
    var departments: [String: Set<Int>] = [:]
    /// corp → tag id → tag
    var tags: [String: [Int: WeComSandboxTag]] = [:]
    private var tokens: [String: (app: String, expiresAt: Date)] = [:]
    private var currentToken: [String: String] = [:]
    private var perMember: [String: RateWindow] = [:]
    private var perMemberHourly: [String: RateWindow] = [:]
    private var recentRequests: [String: (at: Date, messageID: String)] = [:]
    var messageCounter = 0
    /// corp → chat id → app group chat
    var chats: [String: [String: WeComSandboxChat]] = [:]
    /// media id → (corp, type, expiry)
    var media: [String: (corpID: String, type: String, expiresAt: Date)] = [:]

    init(clock: SandboxClock, log: SandboxLog) {
        self.clock = clock
        self.log = log
    }

    func register(_ app: WeComSandboxApp) { apps["\(app.corpID)|\(app.agentID)"] = app }
    func app(corpID: String, agentID: Int) -> WeComSandboxApp? { apps["\(corpID)|\(agentID)"] }
    func register(_ user: WeComSandboxUser) {
        users[user.corpID, default: [:]][user.userID] = user
        departments[user.corpID, default: []].formUnion(user.departments ?? [])
    }
    func register(_ department: WeComSandboxDepartment) { departments[department.corpID, default: []].insert(department.id) }
    func register(_ tag: WeComSandboxTag) {
        tags[tag.corpID, default: [:]][tag.tagID] = tag
        departments[tag.corpID, default: []].formUnion(tag.partyList ?? [])
    }

    func reset() {
        apps = [:]
        revokedCorps = [:]
        stats.reset()
        users = [:]
        departments = [:]
        tags = [:]
        chats = [:]
        media = [:]
        tokens = [:]
        currentToken = [:]
        perMember = [:]
        perMemberHourly = [:]
        recentRequests = [:]
    }

    /// Every token of the corp stops working now.
    func revokeTokens(corpID: String) {
        for (token, issued) in tokens where issued.app.hasPrefix(corpID + "|") { revokedCorps[token] = corpID }
        tokens = tokens.filter { !$0.value.app.hasPrefix(corpID + "|") }
        currentToken = currentToken.filter { !$0.key.hasPrefix(corpID + "|") }
    }

    /// `gettoken`: the same token while it is valid, a new one after it expires.
    func token(corpID: String?, secret: String?) throws(WeComAPIError) -> (token: String, expiresIn: Int) {
        let corpApps = apps.values.filter { $0.corpID == corpID }
        guard !corpApps.isEmpty else { throw .invalidCorpID }
        guard let app = corpApps.first(where: { $0.secret == secret }) else { throw .invalidSecret }
        let key = "\(app.corpID)|\(app.agentID)"
        let now = clock.now()
        if let current = currentToken[key], let issued = tokens[current], issued.expiresAt > now {
            return (current, Int(issued.expiresAt.timeIntervalSince(now)))
        }
        let token = "wt-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        tokens[token] = (key, now.addingTimeInterval(Self.tokenLifetime))
        currentToken[key] = token
        return (token, Int(Self.tokenLifetime))
    }

    /// The corp a token was issued in, if it is known (faults are keyed by corp).
    func corpID(ofToken token: String?) -> String? {
        token.flatMap { tokens[$0] }.flatMap { apps[$0.app] }?.corpID
    }

    /// The corp a token was issued in, even if it is revoked (for stats).
    func owner(ofToken token: String?) -> String? {
        corpID(ofToken: token) ?? token.flatMap { revokedCorps[$0] }
    }

    /// The app an `access_token` query parameter belongs to: 41001 missing, 40014 unknown or
    /// revoked, 42001 expired.
    func app(forToken accessToken: String?) throws(WeComAPIError) -> WeComSandboxApp {
        guard let accessToken, !accessToken.isEmpty else { throw .missingToken }
        guard let issued = tokens[accessToken], let app = apps[issued.app] else { throw .invalidToken }
        guard issued.expiresAt > clock.now() else { throw .expiredToken }
        return app
    }

    /// `message/send`: partial failures listed, all-invalid is 81013, text over 2,048 bytes
    /// truncated, duplicates and the per-member excess dropped silently.
    func send(accessToken: String?, body raw: Data) throws(WeComAPIError) -> Data {
        let app = try app(forToken: accessToken)
        let appKey = "\(app.corpID)|\(app.agentID)"
        let now = clock.now()
        guard var body = (try? JSONSerialization.jsonObject(with: raw)) as? [String: Any] else { throw .invalidParameter }
        let messageType = body["msgtype"] as? String ?? ""
        let touser = Self.list(body["touser"])
        var record = SandboxRecord(
            provider: "wecom", appID: "\(app.corpID)/\(app.agentID)", outcome: .rejected, recipientType: "touser",
            recipient: touser.joined(separator: "|"), messageType: messageType, content: Self.contentJSON(body, messageType),
            dedupeKey: nil, messageID: nil, reason: nil, time: now)
        do throws(WeComAPIError) {
            guard (body["agentid"] as? Int) == app.agentID else { throw .agentMismatch }
            guard Self.messageTypes.contains(messageType) else { throw .invalidMessageType }
            // message/send keeps the first 2,048 bytes of a text ("超过将截断"); markdown over it is refused.
            try Self.checkContent(messageType: messageType, body: body, limit: messageType == "text" ? .max : 2048)
            try checkMedia(corpID: app.corpID, messageType: messageType, body: body)
            let reach = try reach(corpID: app.corpID, users: touser, parties: Self.list(body["toparty"]), tags: Self.list(body["totag"]))
            // The duplicate check compares the request as sent, before any truncation.
            let canonical = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? raw
            if messageType == "text", let truncated = Self.truncatedText(body) {
                body["text"] = ["content": truncated]
                record.content = Self.contentJSON(body, messageType)
                record.reason = "text truncated to 2048 bytes"
            }

            messageCounter += 1
            let messageID = "wmsg" + String(messageCounter)
            if body["enable_duplicate_check"] as? Int == 1 {
                let interval = TimeInterval(min(body["duplicate_check_interval"] as? Int ?? 1800, 4 * 3600))
                // The whole request is compared, as JSON (not as bytes: key order does not matter).
                let key = "\(appKey)|" + String(decoding: canonical, as: UTF8.self)
                record.dedupeKey = "duplicate_check:\(Int(interval))s"
                if let earlier = recentRequests[key], now.timeIntervalSince(earlier.at) < interval {
                    record.outcome = .dropped
                    record.messageID = earlier.messageID
                    record.reason = "duplicate request within \(Int(interval)) s (enable_duplicate_check)"
                    log.append(record)
                    return Self.answer(messageID: earlier.messageID, reach)
                }
                recentRequests[key] = (now, messageID)
            }
            for member in reach.members {
                var delivery = record
                delivery.recipient = member
                delivery.messageID = messageID
                if let limit = admitToMember("\(appKey)|\(member)", at: now) {
                    delivery.outcome = .dropped
                    delivery.reason = "over \(limit) to this member from this app: dropped silently"
                } else {
                    delivery.outcome = .accepted
                }
                log.append(delivery)
            }
            for (reason, recipients) in [("invaliduser", reach.invalidUsers), ("unlicenseduser", reach.unlicensed)] where !recipients.isEmpty {
                var refused = record
                refused.recipient = recipients.joined(separator: "|")
                refused.reason = reason
                log.append(refused)
            }
            return Self.answer(messageID: messageID, reach)
        } catch {
            record.reason = "\(error.errcode) \(error.errmsg)"
            log.append(record)
            throw error
        }
    }

    /// Counts one message to a member against 30 a minute and 1,000 an hour; returns the limit
    /// it is over (the message is then dropped and counts against neither), or nil.
    private func admitToMember(_ key: String, at now: Date) -> String? {
        if perMember[key, default: RateWindow(limit: Self.perMemberPerMinute, window: 60)].isFull(at: now) {
            return "30 messages a minute"
        }
        if perMemberHourly[key, default: RateWindow(limit: Self.perMemberPerHour, window: 3600)].isFull(at: now) {
            return "1000 messages an hour"
        }
        _ = perMember[key]?.admit(at: now)
        _ = perMemberHourly[key]?.admit(at: now)
        return nil
    }

    /// A `|`-separated recipient list.
    private static func list(_ value: Any?) -> [String] {
        (value as? String ?? "").split(separator: "|").map(String.init)
    }

    /// Text and markdown must be non-empty (44004) and at most `limit` bytes (45002).
    static func checkContent(messageType: String, body: [String: Any], limit: Int = 2048) throws(WeComAPIError) {
        guard ["text", "markdown"].contains(messageType) else { return }
        let text = (body[messageType] as? [String: Any])?["content"] as? String ?? ""
        guard !text.isEmpty else { throw .emptyContent }
        guard text.utf8.count <= limit else { throw .contentTooLong }
    }

    /// A text's content cut to its first 2,048 bytes, whole characters only (UNCERTAIN: where
    /// WeCom cuts a character that straddles the limit is not documented); nil when it fits.
    private static func truncatedText(_ body: [String: Any]) -> String? {
        guard let text = (body["text"] as? [String: Any])?["content"] as? String, text.utf8.count > 2048 else { return nil }
        var kept = String.UnicodeScalarView()
        var bytes = 0
        for scalar in text.unicodeScalars {
            bytes += String(scalar).utf8.count
            guard bytes <= 2048 else { break }
            kept.append(scalar)
        }
        return String(kept)
    }

    private static func answer(messageID: String, _ reach: Reach) -> Data {
        let answer = SendAnswer(
            msgid: messageID, invaliduser: reach.invalidUsers.map { $0.lowercased() }.joined(separator: "|"),
            invalidparty: reach.invalidParties.joined(separator: "|"), invalidtag: reach.invalidTags.joined(separator: "|"),
            unlicenseduser: reach.unlicensed.joined(separator: "|"))
        return (try? JSONEncoder().encode(answer)) ?? Data(#"{"errcode":0,"errmsg":"ok"}"#.utf8)
    }

    /// `message/send`'s answer.
    struct SendAnswer: Encodable {
        var errcode = 0
        var errmsg = "ok"
        var msgid: String
        var invaliduser: String
        var invalidparty: String
        var invalidtag: String
        var unlicenseduser: String
    }
}
