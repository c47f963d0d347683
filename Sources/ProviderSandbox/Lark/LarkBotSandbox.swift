import Crypto
import Foundation

/// A Lark custom group bot registered with the sandbox, by the token in its webhook URL.
struct LarkSandboxBot: Sendable, Codable {
    var hookToken: String
    var secret: String?
    /// The bot's security keywords: a message must contain at least one (19024 otherwise).
    var keywords: [String]?

    enum CodingKeys: String, CodingKey {
        case secret, keywords
        case hookToken = "hook_token"
    }
}

/// Lark custom group bots: `POST /open-apis/bot/v2/hook/<token>`, signature and keyword checks,
/// 100/min and 5/s per bot, a 20 KB body.
///
/// A bot seeded with `keywords` takes only messages that contain one of them in some text of the
/// message (any string value of `content` or `card`: text, titles, card elements), else 19024 "Key
/// Words Not Found". Which parts of a card Lark searches is not documented (UNCERTAIN): the sandbox
/// searches them all.
///
/// UNCERTAIN (our reference gives only 19021 and 11232): an unknown token answers 19001, a body
/// over 20 KB 9499, a bad message 9499; over either rate the answer is 11232. All with HTTP 200,
/// as custom bots answer.
actor LarkBotSandbox {
    static let maximumBodyBytes = 20 * 1024
    static let messageTypes: Set<String> = ["text", "post", "image", "share_chat", "interactive"]

    private let clock: SandboxClock
    private let log: SandboxLog
    private var bots: [String: LarkSandboxBot] = [:]
    private var perSecond: [String: RateWindow] = [:]
    private var perMinute: [String: RateWindow] = [:]

    init(clock: SandboxClock, log: SandboxLog) {
        self.clock = clock
        self.log = log
    }

    func register(_ bot: LarkSandboxBot) { bots[bot.hookToken] = bot }

    func reset() {
        bots = [:]
        perSecond = [:]
        perMinute = [:]
    }

    /// Answers `{code, msg, data}`.
    func send(hookToken: String, body raw: Data) -> (code: Int, msg: String) {
        let body = (try? JSONSerialization.jsonObject(with: raw)) as? [String: Any]
        let messageType = body?["msg_type"] as? String ?? ""
        let payload = messageType == "interactive" ? body?["card"] : body?["content"]
        let content = payload.flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]) }
            .map { String(decoding: $0, as: UTF8.self) } ?? ""
        let now = clock.now()
        var record = SandboxRecord(
            provider: "lark", appID: "bot:" + hookToken, outcome: .rejected, recipientType: "bot", recipient: hookToken,
            messageType: messageType, content: content, dedupeKey: nil, messageID: nil, reason: nil, time: now)
        func reject(_ code: Int, _ msg: String) -> (Int, String) {
            record.reason = "\(code) \(msg)"
            log.append(record)
            return (code, msg)
        }
        guard let bot = bots[hookToken] else { return reject(19001, "param invalid: incoming webhook access token invalid") }
        guard raw.count <= Self.maximumBodyBytes else { return reject(9499, "Bad Request: the body is over 20 KB") }
        if let secret = bot.secret {
            guard let timestamp = (body?["timestamp"] as? String).flatMap(Int.init) ?? body?["timestamp"] as? Int,
                abs(now.timeIntervalSince1970 - Double(timestamp)) <= 3600, let sign = body?["sign"] as? String,
                sign == Self.signature(timestamp: timestamp, secret: secret)
            else { return reject(19021, "sign match fail or timestamp is not within one hour from current time") }
        }
        guard Self.messageTypes.contains(messageType), payload is [String: Any] else {
            return reject(9499, "Bad Request: msg_type and its content are required")
        }
        if let keywords = bot.keywords, !keywords.isEmpty {
            let texts = Self.strings(in: payload as Any)
            guard keywords.contains(where: { keyword in texts.contains { $0.contains(keyword) } }) else {
                return reject(19024, "Key Words Not Found")
            }
        }
        if perSecond[hookToken, default: RateWindow(limit: 5, window: 1)].admit(at: now) != nil
            || perMinute[hookToken, default: RateWindow(limit: 100, window: 60)].admit(at: now) != nil
        {
            return reject(11232, "frequency limited psm[lark.oapi.app_platform_runtime]appID[0]")
        }
        record.outcome = .accepted
        log.append(record)
        return (0, "success")
    }

    /// Every string value in a JSON value (not the keys).
    static func strings(in value: Any) -> [String] {
        switch value {
        case let string as String: [string]
        case let array as [Any]: array.flatMap { strings(in: $0) }
        case let object as [String: Any]: object.values.flatMap { strings(in: $0) }
        default: []
        }
    }

    /// Base64(HMAC-SHA256(key: "timestamp\nsecret", message: empty)): the sandbox's own code.
    static func signature(timestamp: Int, secret: String) -> String {
        let mac = HMAC<SHA256>.authenticationCode(for: Data(), using: SymmetricKey(data: Data("\(timestamp)\n\(secret)".utf8)))
        return Data(mac).base64EncodedString()
    }
}
