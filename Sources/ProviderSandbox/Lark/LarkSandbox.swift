import Foundation

/// The state of the Lark stand-in: apps, tokens, users, chats, sent messages and dedupe keys.
actor LarkSandbox {
    /// Lifetime of a tenant token (Lark: at most 2 h).
    static let tokenLifetime: TimeInterval = 7200
    /// Below this remaining life a token request gets a new token (Lark: 30 min); above, the same one.
    static let reissueThreshold: TimeInterval = 1800
    /// How long a `uuid` dedupes sends (Lark: 1 h).
    static let dedupeWindow: TimeInterval = 3600
    /// Body limits by message type: text 150 KB, card and post 30 KB.
    static func contentLimit(_ messageType: String) -> Int {
        ["interactive", "post"].contains(messageType) ? 30 * 1024 : 150 * 1024
    }
    static let receiveIDTypes: Set<String> = ["open_id", "user_id", "union_id", "email", "chat_id"]
    static let messageTypes: Set<String> = [
        "text", "post", "image", "file", "audio", "media", "sticker", "interactive", "share_chat", "share_user",
    ]

    let clock: SandboxClock
    let log: SandboxLog
    let stats = SandboxStats()
    var apps: [String: LarkSandboxApp] = [:]
    /// Revoked tokens → their app, so that calls made with them still count for the app's stats.
    private var revokedOwners: [String: String] = [:]
    var tokens: [String: IssuedToken] = [:]
    private var currentToken: [String: String] = [:]
    /// Marketplace apps' pushed tickets: app → (ticket, valid until).
    var appTickets: [String: [(ticket: String, expiresAt: Date)]] = [:]
    var oauthCodes: [String: LarkOAuthCode] = [:]
    var refreshGrants: [String: LarkRefreshGrant] = [:]
    var nextLogin: String?
    var users: [LarkSandboxUser] = []
    var chats: [String: LarkSandboxChat] = [:]
    private var sentByDedupeKey: [String: (message: Data, messageID: String, at: Date)] = [:]
    var messageCounter = 0
    /// Messages created, for replies, recalls and card updates.
    var sentMessages: [String: LarkSandboxSentMessage] = [:]
    /// Chats created by `im/v1/chats` per `app|uuid`, for its 10-hour dedupe.
    var chatsByDedupeKey: [String: (answer: Data, at: Date)] = [:]
    /// Uploaded image and file keys → the app that uploaded them.
    var uploads: [String: String] = [:]
    /// Per `api|app`: each API is its own bucket.
    private var apiPerSecond: [String: RateWindow] = [:]
    private var apiPerMinute: [String: RateWindow] = [:]
    private var perRecipient: [String: RateWindow] = [:]
    private let encoder = JSONEncoder()

    init(clock: SandboxClock, log: SandboxLog) {
        self.clock = clock
        self.log = log
    }

    func register(_ app: LarkSandboxApp) { apps[app.appID] = app }
    func app(_ appID: String) -> LarkSandboxApp? { apps[appID] }
    func register(_ user: LarkSandboxUser) {
        users.removeAll { $0.openID == user.openID }
        users.append(user)
    }
    func register(_ chat: LarkSandboxChat) { chats[chat.chatID] = chat }

    func reset() {
        apps = [:]
        revokedOwners = [:]
        stats.reset()
        tokens = [:]
        currentToken = [:]
        appTickets = [:]
        oauthCodes = [:]
        refreshGrants = [:]
        nextLogin = nil
        users = []
        chats = [:]
        sentByDedupeKey = [:]
        sentMessages = [:]
        uploads = [:]
        chatsByDedupeKey = [:]
        apiPerSecond = [:]
        apiPerMinute = [:]
        perRecipient = [:]
    }

    /// The limits of one API for one app (HTTP 429, 99991400, `x-ogw-ratelimit-*`).
    func admitCall(appID: String, api: LarkSandboxAPI) throws(LarkAPIError) {
        guard apps[appID]?.rateLimits ?? true else { return }
        let now = clock.now()
        let key = api.rawValue + "|" + appID
        let (perSecond, perMinute) = api.limits
        if let reset = apiPerSecond[key, default: RateWindow(limit: perSecond, window: 1)].admit(at: now) {
            throw .rateLimited(limit: perSecond, resetSeconds: reset)
        }
        if let reset = apiPerMinute[key, default: RateWindow(limit: perMinute, window: 60)].admit(at: now) {
            throw .rateLimited(limit: perMinute, resetSeconds: reset)
        }
    }

    /// 5 messages a second per user and per chat (shared by every bot in a chat).
    private func admitMessage(appID: String, chatID: String) throws(LarkAPIError) {
        guard apps[appID]?.rateLimits ?? true else { return }
        if perRecipient[chatID, default: RateWindow(limit: 5, window: 1)].admit(at: clock.now()) != nil {
            throw .recipientRateLimited
        }
    }

    /// Every token issued to `appID` so far stops working now.
    func revokeTokens(appID: String) {
        for (token, issued) in tokens where issued.appID == appID { revokedOwners[token] = appID }
        tokens = tokens.filter { $0.value.appID != appID }
        currentToken = currentToken.filter { tokens[$0.value] != nil }
    }

    /// `tenant_access_token/internal`: the same token while it has ≥ 30 min left, else a new one
    /// (the old stays valid until it expires).
    func tenantToken(appID: String, appSecret: String) throws(LarkAPIError) -> (token: String, expire: Int) {
        guard let app = apps[appID] else { throw .invalidCredentials }
        guard app.appSecret == appSecret else { throw .wrongSecret }
        return issueToken(slot: appID, appID: appID, kind: .tenant)
    }

    /// The token of `slot` (an app, an app's tenant, an app's app token) under Lark's rule: the
    /// same one while it has ≥ 30 min left, else a new one (the old stays valid until it expires).
    func issueToken(slot: String, appID: String, kind: IssuedToken.Kind) -> (token: String, expire: Int) {
        let now = clock.now()
        if let current = currentToken[slot], let issued = tokens[current] {
            let remaining = issued.expiresAt.timeIntervalSince(now)
            if remaining >= Self.reissueThreshold { return (current, Int(remaining)) }
        }
        let token = kind.prefix + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        tokens[token] = IssuedToken(token: token, appID: appID, expiresAt: now.addingTimeInterval(Self.tokenLifetime), kind: kind)
        currentToken[slot] = token
        return (token, Int(Self.tokenLifetime))
    }

    /// The token if it is valid now and of `kind`.
    func validToken(_ token: String, kind: IssuedToken.Kind) -> IssuedToken? {
        guard let issued = tokens[token], issued.kind == kind, issued.expiresAt > clock.now() else { return nil }
        return issued
    }

    /// The app a `Bearer` token was issued to, even if it is revoked or expired (for stats).
    func owner(ofAuthorization authorization: String?) -> String? {
        guard let authorization, authorization.hasPrefix("Bearer ") else { return nil }
        let token = String(authorization.dropFirst(7))
        return tokens[token]?.appID ?? revokedOwners[token]
    }

    /// The app a `Bearer` token belongs to.
    func authorize(_ authorization: String?) throws(LarkAPIError) -> String {
        guard let authorization, authorization.hasPrefix("Bearer "), authorization.count > 7 else { throw .needToken }
        let token = String(authorization.dropFirst(7))
        guard let issued = validToken(token, kind: .tenant) else { throw .invalidToken }
        return issued.appID
    }

    /// `POST /open-apis/im/v1/messages`: validates, resolves the recipient, dedupes by `uuid`.
    /// Returns the created message as JSON (the `data` of the answer).
    func send(appID: String, receiveIDType: String?, body rawBody: Data) throws(LarkAPIError) -> Data {
        let body = (try? JSONSerialization.jsonObject(with: rawBody)) as? [String: Any]
        let receiveID = body?["receive_id"] as? String ?? ""
        return try create(appID: appID, body: body, recipientType: receiveIDType ?? "", recipient: receiveID) { () throws(LarkAPIError) in
            guard let receiveIDType, Self.receiveIDTypes.contains(receiveIDType) else {
                throw .invalidParameter("receive_id_type must be one of open_id, user_id, union_id, email, chat_id")
            }
            guard !receiveID.isEmpty else { throw .invalidParameter("receive_id is required") }
            return try resolveChat(appID: appID, type: receiveIDType, id: receiveID)
        }
    }

    /// `POST /open-apis/im/v1/messages/:message_id/reply`: into the chat of a message this app can
    /// see (one it sent); the same checks, dedupe and limits as a send.
    func reply(appID: String, messageID: String, body rawBody: Data) throws(LarkAPIError) -> Data {
        let body = (try? JSONSerialization.jsonObject(with: rawBody)) as? [String: Any]
        return try create(appID: appID, body: body, recipientType: "reply", recipient: messageID) { () throws(LarkAPIError) in
            // UNCERTAIN: the code for an unknown message id; the sandbox answers 230001.
            guard let original = sentMessages[messageID], original.appID == appID else {
                throw .invalidParameter("message_id \(messageID) is not a message this app can reply to")
            }
            guard !original.deleted else { throw .messageRecalled }
            return original.chatID
        }
    }

    /// Creates a message: validates the body, finds the chat, dedupes by `uuid`, applies the limits.
    private func create(
        appID: String, body: [String: Any]?, recipientType: String, recipient: String,
        chat: () throws(LarkAPIError) -> String
    ) throws(LarkAPIError) -> Data {
        let messageType = body?["msg_type"] as? String ?? ""
        let content = body?["content"] as? String ?? ""
        let uuid = body?["uuid"] as? String
        var record = SandboxRecord(
            provider: "lark", appID: appID, outcome: .rejected, recipientType: recipientType,
            recipient: recipient, messageType: messageType, content: content, dedupeKey: uuid, messageID: nil,
            reason: nil, time: clock.now())
        do {
            try admitCall(appID: appID, api: recipientType == "reply" ? .reply : .send)
            guard body != nil else { throw LarkAPIError.invalidParameter("the body must be a JSON object") }
            let chatID = try chat()
            guard Self.messageTypes.contains(messageType) else { throw LarkAPIError.invalidParameter("msg_type is invalid") }
            guard let object = (try? JSONSerialization.jsonObject(with: Data(content.utf8))) as? [String: Any] else {
                throw LarkAPIError.invalidParameter("content must be a JSON object serialised as a string")
            }
            if let uuid, uuid.count > 50 { throw LarkAPIError.invalidParameter("uuid is longer than 50 characters") }
            if content.utf8.count > Self.contentLimit(messageType) { throw LarkAPIError.contentTooLong }
            try checkResources(appID: appID, messageType: messageType, content: object)
            let now = clock.now()
            if let uuid, let earlier = sentByDedupeKey["\(appID)|\(uuid)"], now.timeIntervalSince(earlier.at) < Self.dedupeWindow {
                // UNCERTAIN what Lark answers for a repeated uuid; the sandbox returns the first message again.
                record.outcome = .dropped
                record.messageID = earlier.messageID
                record.reason = "duplicate uuid within 1 h: the first message is returned"
                log.append(record)
                return earlier.message
            }
            try admitMessage(appID: appID, chatID: chatID)
            messageCounter += 1
            let counter = String(messageCounter, radix: 16)
            let messageID = "om_" + String(repeating: "0", count: max(0, 32 - counter.count)) + counter
            let millis = Self.millis(now)
            let parentID = recipientType == "reply" ? recipient : nil
            let message = LarkSandboxMessage(
                messageID: messageID, rootID: parentID ?? "", parentID: parentID ?? "", messageType: messageType, createTime: millis,
                updateTime: millis, chatID: chatID, sender: .init(id: appID), body: .init(content: content))
            let json = (try? encoder.encode(message)) ?? Data("{}".utf8)
            if let uuid { sentByDedupeKey["\(appID)|\(uuid)"] = (json, messageID, now) }
            sentMessages[messageID] = LarkSandboxSentMessage(message: message, appID: appID, sentAt: now)
            record.outcome = .accepted
            record.messageID = messageID
            log.append(record)
            return json
        } catch let error as LarkAPIError {
            record.reason = "\(error.code) \(error.msg)"
            log.append(record)
            throw error
        } catch {
            throw .invalidParameter("unexpected")
        }
    }

    private func resolveChat(appID: String, type: String, id: String) throws(LarkAPIError) -> String {
        if type == "chat_id" {
            guard let chat = chats[id], chat.members.contains(appID) else { throw .botNotInChat }
            return chat.chatID
        }
        let user = type == "email" ? users.first { $0.email == id } : seededUser(id, type: type)
        guard let user else { throw .userNotInAvailability }
        return "oc_p2p_" + user.openID
    }
}
