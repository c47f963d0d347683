import Crypto
import Foundation

/// A WeCom group robot registered with the sandbox, by its webhook key.
struct WeComSandboxRobot: Sendable, Codable {
    var key: String
}

/// WeCom group robots: `webhook/send?key=` and `webhook/upload_media?key=&type=file|voice`, with
/// the 20-messages-a-minute limit (45009) and 93000 for an unknown key.
actor WeComRobotSandbox {
    static let perMinute = 20
    static let messageTypes: Set<String> = ["text", "markdown", "image", "news", "file", "voice", "template_card"]
    /// Upload limits: file 20 MB, voice 2 MB.
    static let uploadLimits: [String: Int] = ["file": 20 << 20, "voice": 2 << 20]

    private let clock: SandboxClock
    private let log: SandboxLog
    private let wecom: WeComSandbox
    private var robots: Set<String> = []
    private var windows: [String: RateWindow] = [:]

    init(clock: SandboxClock, log: SandboxLog, wecom: WeComSandbox) {
        self.clock = clock
        self.log = log
        self.wecom = wecom
    }

    func register(_ robot: WeComSandboxRobot) { robots.insert(robot.key) }

    func reset() {
        robots = []
        windows = [:]
    }

    /// `POST /cgi-bin/webhook/send?key=`.
    func send(key: String?, body raw: Data) async throws(WeComAPIError) -> Data {
        let body = (try? JSONSerialization.jsonObject(with: raw)) as? [String: Any] ?? [:]
        let messageType = body["msgtype"] as? String ?? ""
        let record = SandboxRecord(
            provider: "wecom", appID: "robot:" + (key ?? ""), outcome: .rejected, recipientType: "robot",
            recipient: key ?? "", messageType: messageType, content: WeComSandbox.contentJSON(body, messageType),
            dedupeKey: nil, messageID: nil, reason: nil, time: clock.now())
        do throws(WeComAPIError) {
            try await check(key: key, messageType: messageType, body: body)
        } catch {
            log.recordWeCom(record, failure: error)
            throw error
        }
        log.recordWeCom(record, failure: nil)
        return WeComSandbox.ok()
    }

    /// The robot exists, the message is well formed, and the robot is within 20 a minute.
    private func check(key: String?, messageType: String, body: [String: Any]) async throws(WeComAPIError) {
        guard let key, robots.contains(key) else { throw .invalidWebhook }
        guard Self.messageTypes.contains(messageType) else { throw .invalidMessageType }
        try WeComSandbox.checkContent(messageType: messageType, body: body, limit: messageType == "markdown" ? 4096 : 2048)
        if messageType == "image" { try Self.checkImage(body["image"] as? [String: Any]) }
        if ["file", "voice"].contains(messageType) {
            let mediaID = (body[messageType] as? [String: Any])?["media_id"] as? String ?? ""
            try await wecom.checkMedia(corpID: "robot:" + key, mediaID: mediaID)
        }
        if windows[key, default: RateWindow(limit: Self.perMinute, window: 60)].admit(at: clock.now()) != nil {
            throw .frequencyLimited
        }
    }

    /// `POST /cgi-bin/webhook/upload_media?key=&type=file|voice` (multipart field `media`).
    func upload(key: String?, type: String?, file: MultipartForm.Part?) async throws(WeComAPIError) -> Data {
        guard let key, robots.contains(key) else { throw .invalidWebhook }
        return try await wecom.storeMedia(corpID: "robot:" + key, type: type, file: file, allowed: Self.uploadLimits)
    }

    /// An image message carries the raw image in base64 (≤ 2 MB) and its MD5, which must match.
    private static func checkImage(_ image: [String: Any]?) throws(WeComAPIError) {
        guard let encoded = image?["base64"] as? String, let md5 = image?["md5"] as? String,
            let raw = Data(base64Encoded: encoded), !raw.isEmpty
        else { throw .invalidParameter }
        guard raw.count <= 2 << 20 else { throw .invalidFileSize }
        let digest = Insecure.MD5.hash(data: raw).map { String(format: "%02x", $0) }.joined()
        guard digest == md5.lowercased() else { throw .invalidParameter }
    }
}
