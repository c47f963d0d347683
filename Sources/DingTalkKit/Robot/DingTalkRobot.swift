import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import ProviderKitSupport

/// A DingTalk custom robot: posts to `/robot/send?access_token=…`, signed when it has a secret.
///
/// ```swift
/// let robot = DingTalkRobot(accessToken: token, secret: "SEC…")
/// try await robot.send(.text("disk 91% on db-1", atMobiles: ["13800000000"]))
/// ```
public struct DingTalkRobot: Sendable {
    /// `https://oapi.dingtalk.com`
    public static let production = "https://oapi.dingtalk.com"

    public let baseURL: String
    /// Secret: never logged or put in an error.
    public let accessToken: String
    /// The `SEC…` signing secret, if the robot has signing turned on. Secret.
    public let secret: String?
    private let http: HTTPClient
    private let timeout: TimeAmount
    private let now: @Sendable () -> Date

    public init(
        baseURL: String = DingTalkRobot.production, accessToken: String, secret: String? = nil,
        httpClient: HTTPClient = .shared, timeout: TimeAmount = .seconds(10), now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.accessToken = accessToken
        self.secret = secret
        self.http = httpClient
        self.timeout = timeout
        self.now = now
    }

    /// Sends one message. DingTalk has no dedupe key: a ``ProviderErrorCategory/maybeDelivered``
    /// send repeated may show twice; 130101 blocks the robot for 10 minutes
    /// (``ProviderErrorCategory/rateLimited(retryAfter:)`` with ``DingTalkError/throttleBlock``).
    public func send(_ message: DingTalkMessage) async throws(DingTalkError) {
        var url = baseURL + "/robot/send?access_token=" + DingTalkRobotSigner.urlEncoded(accessToken)
        if let secret {
            url += "&" + DingTalkRobotSigner.queryItems(timestamp: Int64(now().timeIntervalSince1970 * 1000), secret: secret)
        }
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        let status: Int
        let bytes: ByteBuffer
        do {
            guard let body = try? JSONSerialization.data(withJSONObject: message.body, options: [.sortedKeys]) else {
                throw DingTalkError(category: .permanent, errcode: 0, errmsg: "the message cannot be encoded")
            }
            request.body = .bytes(ByteBuffer(data: body))
            let answer = try await http.exchange(request, timeout: timeout, upTo: 1 << 20)
            status = Int(answer.response.status.code)
            bytes = answer.body
        } catch let error as DingTalkError {
            throw error
        } catch {
            throw DingTalkError(category: .forTransportFailure(error, idempotent: false), errcode: 0, errmsg: "request failed: \(type(of: error))")
        }
        try DingTalkAnswer.check(status: status, body: Data(buffer: bytes))
    }
}
