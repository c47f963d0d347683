import AsyncHTTPClient
import Foundation
import NIOCore
import ProviderKitSupport

/// A Feishu/Lark custom group bot: `POST /open-apis/bot/v2/hook/<token>`, signed when the bot has
/// a secret (`sign` = Base64(HMAC-SHA256(key: "timestamp\nsecret", message: empty)), timestamp in
/// seconds).
///
/// ```swift
/// let bot = LarkCustomBot(baseURL: LarkClient.feishu, hookToken: token, secret: secret)
/// try await bot.send(.text("构建失败"))
/// ```
/// A bot takes 100 messages a minute and 5 a second; its body is at most 20 KB.
public struct LarkCustomBot: Sendable {
    /// The largest body Lark takes.
    public static let maximumBodyBytes = 20 * 1024

    public let baseURL: String
    /// Secrets: never logged or put in an error.
    private let hookToken: String
    private let secret: String?
    private let timeout: TimeAmount
    private let http: HTTPClient
    private let now: @Sendable () -> Date

    public init(
        baseURL: String = LarkClient.feishu, hookToken: String, secret: String? = nil, timeout: TimeAmount = .seconds(10),
        httpClient: HTTPClient = .shared, now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.hookToken = hookToken
        self.secret = secret
        self.timeout = timeout
        self.http = httpClient
        self.now = now
    }

    /// Sends `message`; Lark's refusals (19021 signature, 11232 frequency …) become ``LarkError``s.
    /// A custom bot has no dedupe key: a ``ProviderErrorCategory/maybeDelivered`` send repeated may
    /// show twice.
    public func send(_ message: LarkBotMessage) async throws(LarkError) {
        var body = try message.body()
        if let secret {
            let timestamp = Int(now().timeIntervalSince1970)
            body["timestamp"] = String(timestamp)
            body["sign"] = LarkSignature.customBot(timestamp: timestamp, secret: secret)
        }
        let encoded = try LarkRequestBody.json(body)
        guard encoded.data.count <= Self.maximumBodyBytes else {
            throw LarkError(category: .permanent, code: 0, message: "a custom bot message is at most \(Self.maximumBodyBytes) bytes")
        }
        guard let escaped = hookToken.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_"))) else {
            throw LarkError(category: .permanent, code: 0, message: "the hook token is not valid")
        }
        let configuration = LarkClient.Configuration(baseURL: baseURL, appID: "", appSecret: "", timeout: timeout)
        let answer = try await LarkHTTP.send(
            http, configuration, path: "/open-apis/bot/v2/hook/\(escaped)", token: nil, body: encoded, idempotent: false)
        if let failure = answer.failure(idempotent: false, codeOptional: true) { throw failure }
    }
}
