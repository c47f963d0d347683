import Foundation

/// The state of the WeCom stand-in: apps, tokens, members, sent messages.
actor WeComSandbox {
    static let tokenLifetime: TimeInterval = 7200
    /// Per app, per member: 30 messages a minute; the excess is dropped silently.
    static let perMemberPerMinute = 30
    static let messageTypes: Set<String> = [
        "text", "markdown", "textcard", "news", "mpnews", "image", "voice", "video", "file", "template_card",
        "miniprogram_notice",
    ]

    let clock: SandboxClock
    let log: SandboxLog
    private var apps: [String: WeComSandboxApp] = [:]  // "corp|agent"
    /// corp → userid → member
    var users: [String: [String: WeComSandboxUser]] = [:]
    /// corp → department ids registered or named by a member
    var departments: [String: Set<Int>] = [:]
    private var tokens: [String: (app: String, expiresAt: Date)] = [:]
    private var currentToken: [String: String] = [:]
    private var perMember: [String: RateWindow] = [:]
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

    func reset() {
        apps = [:]
        users = [:]
        departments = [:]
        chats = [:]
        media = [:]
        tokens = [:]
        currentToken = [:]
        perMember = [:]
        recentRequests = [:]
    }

    /// Every token of the corp stops working now.
    func revokeTokens(corpID: String) {
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

    /// The app an `access_token` query parameter belongs to: 41001 missing, 40014 unknown or
    /// revoked, 42001 expired.
    func app(forToken accessToken: String?) throws(WeComAPIError) -> WeComSandboxApp {
        guard let accessToken, !accessToken.isEmpty else { throw .missingToken }
        guard let issued = tokens[accessToken], let app = apps[issued.app] else { throw .invalidToken }
        guard issued.expiresAt > clock.now() else { throw .expiredToken }
        return app
    }

    /// `message/send`: partial failures listed, all-invalid is 81013, duplicates and the per-member
    /// excess are dropped silently.
    func send(accessToken: String?, body raw: Data) throws(WeComAPIError) -> Data {
        let app = try app(forToken: accessToken)
        let appKey = "\(app.corpID)|\(app.agentID)"
        let now = clock.now()
        guard let body = (try? JSONSerialization.jsonObject(with: raw)) as? [String: Any] else { throw .invalidParameter }
        let messageType = body["msgtype"] as? String ?? ""
        let content = (body[messageType]).flatMap { try? JSONSerialization.data(withJSONObject: $0) }.map { String(decoding: $0, as: UTF8.self) } ?? ""
        let touser = (body["touser"] as? String ?? "").split(separator: "|").map(String.init)
        var record = SandboxRecord(
            provider: "wecom", appID: "\(app.corpID)/\(app.agentID)", outcome: .rejected, recipientType: "touser",
            recipient: touser.joined(separator: "|"), messageType: messageType, content: content, dedupeKey: nil,
            messageID: nil, reason: nil, time: now)
        do {
            guard (body["agentid"] as? Int) == app.agentID else { throw WeComAPIError.agentMismatch }
            guard Self.messageTypes.contains(messageType) else { throw WeComAPIError.invalidMessageType }
            try Self.checkContent(messageType: messageType, body: body)
            try checkMedia(corpID: app.corpID, messageType: messageType, body: body)
            var parties = (body["toparty"] as? String ?? "").split(separator: "|").map(String.init)
            let tags = (body["totag"] as? String ?? "").split(separator: "|").map(String.init)
            guard !(touser.isEmpty && parties.isEmpty && tags.isEmpty) else { throw WeComAPIError.noRecipient }
            let members = users[app.corpID] ?? [:]
            let everyone = touser == ["@all"]
            let knownDepartments = departments[app.corpID] ?? []
            let validParties = Set(parties.compactMap(Int.init).filter { knownDepartments.contains($0) })
            var valid = everyone ? Array(members.keys) : touser.filter { members[$0] != nil }
            if !everyone {
                // A department reaches its members; tags are not modelled, so every tag is reported invalid.
                let inParties = members.values.filter { !validParties.isDisjoint(with: $0.departments ?? []) }.map(\.userID)
                valid = Array(Set(valid).union(inParties)).sorted()
                parties = parties.filter { Int($0).map { !validParties.contains($0) } ?? true }
            } else {
                parties = []
            }
            let invalidUsers = everyone ? [] : touser.filter { members[$0] == nil }
            guard !valid.isEmpty else { throw WeComAPIError.noValidRecipient }

            messageCounter += 1
            var messageID = "wmsg" + String(messageCounter)
            if body["enable_duplicate_check"] as? Int == 1 {
                let interval = TimeInterval(min(body["duplicate_check_interval"] as? Int ?? 1800, 4 * 3600))
                // The whole request is compared, as JSON (not as bytes: key order does not matter).
                let canonical = (try? JSONSerialization.data(withJSONObject: body, options: [.sortedKeys])) ?? raw
                let key = "\(appKey)|" + String(decoding: canonical, as: UTF8.self)
                record.dedupeKey = "duplicate_check:\(Int(interval))s"
                if let earlier = recentRequests[key], now.timeIntervalSince(earlier.at) < interval {
                    record.outcome = .dropped
                    record.messageID = earlier.messageID
                    record.reason = "duplicate request within \(Int(interval)) s (enable_duplicate_check)"
                    log.append(record)
                    return Self.answer(messageID: earlier.messageID, invalidUsers: invalidUsers, parties: parties, tags: tags)
                }
                recentRequests[key] = (now, messageID)
            }
            for member in valid {
                var delivery = record
                delivery.recipient = member
                delivery.messageID = messageID
                if perMember["\(appKey)|\(member)", default: RateWindow(limit: Self.perMemberPerMinute, window: 60)].admit(at: now) != nil {
                    delivery.outcome = .dropped
                    delivery.reason = "over 30 messages a minute to this member from this app: dropped silently"
                } else {
                    delivery.outcome = .accepted
                }
                log.append(delivery)
            }
            if !invalidUsers.isEmpty {
                record.recipient = invalidUsers.joined(separator: "|")
                record.reason = "invaliduser"
                log.append(record)
            }
            messageID = messageID.isEmpty ? "wmsg0" : messageID
            return Self.answer(messageID: messageID, invalidUsers: invalidUsers, parties: parties, tags: tags)
        } catch let error as WeComAPIError {
            record.reason = "\(error.errcode) \(error.errmsg)"
            log.append(record)
            throw error
        } catch {
            throw .invalidParameter
        }
    }

    /// Text and markdown must be non-empty (44004) and at most 2048 bytes (45002).
    static func checkContent(messageType: String, body: [String: Any], limit: Int = 2048) throws(WeComAPIError) {
        guard ["text", "markdown"].contains(messageType) else { return }
        let text = (body[messageType] as? [String: Any])?["content"] as? String ?? ""
        guard !text.isEmpty else { throw .emptyContent }
        guard text.utf8.count <= limit else { throw .contentTooLong }
    }

    private static func answer(messageID: String, invalidUsers: [String], parties: [String], tags: [String]) -> Data {
        let answer = SendAnswer(
            msgid: messageID, invaliduser: invalidUsers.map { $0.lowercased() }.joined(separator: "|"),
            invalidparty: parties.joined(separator: "|"), invalidtag: tags.joined(separator: "|"))
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
        var unlicenseduser = ""
    }
}
