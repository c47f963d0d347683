import Crypto
import Foundation

/// The DingTalk stand-in: robots, their security settings (signature, IP allowlist, keywords), the
/// 20-a-minute limit and its 10-minute throttle.
///
/// The error codes and messages are community-reported (UNCERTAIN): 300001 unknown token; 310000
/// for each security setting, told apart only by `errmsg` ("sign not match", "ip … not in
/// whitelist", "keywords not in content"; newer answers say the same in Chinese); 130101 sending
/// too fast. In which order DingTalk checks the settings is not documented (UNCERTAIN): the
/// sandbox checks the signature, then the IP, then the message, then its keywords.
actor DingTalkSandbox {
    static let perMinute = 20
    static let throttle: TimeInterval = 600
    static let messageTypes: Set<String> = ["text", "link", "markdown", "actionCard", "feedCard"]

    private let clock: SandboxClock
    private let log: SandboxLog
    private var robots: [String: DingTalkSandboxRobot] = [:]
    private var windows: [String: RateWindow] = [:]
    private var throttledUntil: [String: Date] = [:]

    init(clock: SandboxClock, log: SandboxLog) {
        self.clock = clock
        self.log = log
    }

    func register(_ robot: DingTalkSandboxRobot) { robots[robot.accessToken] = robot }

    func reset() {
        robots = [:]
        windows = [:]
        throttledUntil = [:]
    }

    /// Where DingTalk's 310000 answers point.
    static let moreInfo = ", more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]"

    /// `POST /robot/send` from `peer` (an IP address): `{errcode, errmsg}`, always HTTP 200.
    func send(accessToken: String?, timestamp: String?, sign: String?, body raw: Data, peer: String?) -> (errcode: Int, errmsg: String) {
        let body = (try? JSONSerialization.jsonObject(with: raw)) as? [String: Any] ?? [:]
        let messageType = body["msgtype"] as? String ?? ""
        let content = (body[messageType]).flatMap { try? JSONSerialization.data(withJSONObject: $0, options: [.sortedKeys]) }
            .map { String(decoding: $0, as: UTF8.self) } ?? ""
        let now = clock.now()
        var record = SandboxRecord(
            provider: "dingtalk", appID: accessToken ?? "", outcome: .rejected, recipientType: "robot",
            recipient: accessToken ?? "", messageType: messageType, content: content, dedupeKey: nil, messageID: nil,
            reason: nil, time: now)
        func reject(_ errcode: Int, _ errmsg: String) -> (Int, String) {
            record.reason = "\(errcode) \(errmsg)"
            log.append(record)
            return (errcode, errmsg)
        }
        guard let accessToken, let robot = robots[accessToken] else { return reject(300001, "token is not exist") }
        if let secret = robot.secret {
            guard let timestamp, let milliseconds = Int64(timestamp), let sign,
                abs(now.timeIntervalSince1970 * 1000 - Double(milliseconds)) <= 3_600_000
            else { return reject(310000, "invalid timestamp") }
            let mac = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp)\n\(secret)".utf8), using: SymmetricKey(data: Data(secret.utf8)))
            guard Data(mac).base64EncodedString() == sign else { return reject(310000, "sign not match" + Self.moreInfo) }
        }
        guard robot.allows(peer: peer) else { return reject(310000, "ip \(peer ?? "unknown") not in whitelist" + Self.moreInfo) }
        guard Self.messageTypes.contains(messageType), !content.isEmpty else { return reject(40035, "missing or invalid msgtype") }
        guard robot.admitsContent(of: body[messageType]) else { return reject(310000, "keywords not in content" + Self.moreInfo) }
        if messageType == "actionCard", let card = body["actionCard"] as? [String: Any] {
            // A card has one button (singleTitle + singleURL) or a list of them (btns).
            let single = card["singleTitle"] is String && card["singleURL"] is String
            let buttons = (card["btns"] as? [[String: Any]]) ?? []
            let listed = !buttons.isEmpty && buttons.allSatisfy { $0["title"] is String && $0["actionURL"] is String }
            guard single != listed else { return reject(40035, "actionCard needs singleTitle and singleURL, or btns") }
        }
        if let until = throttledUntil[accessToken], now < until { return reject(130101, "send too fast, exceed 20 times per minute") }
        if windows[accessToken, default: RateWindow(limit: Self.perMinute, window: 60)].admit(at: now) != nil {
            throttledUntil[accessToken] = now.addingTimeInterval(Self.throttle)
            return reject(130101, "send too fast, exceed 20 times per minute")
        }
        record.outcome = .accepted
        log.append(record)
        return (0, "ok")
    }
}
