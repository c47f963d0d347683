import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

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

    /// Sends one message.
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
            request.body = .bytes(ByteBuffer(data: try JSONSerialization.data(withJSONObject: message.body, options: [.sortedKeys])))
            let response = try await http.execute(request, timeout: timeout)
            status = Int(response.status.code)
            bytes = try await response.body.collect(upTo: 1 << 20)
        } catch {
            throw DingTalkError(category: .retryable, errcode: 0, errmsg: "request failed: \(type(of: error))")
        }
        guard let answer = (try? JSONSerialization.jsonObject(with: Data(buffer: bytes))) as? [String: Any] else {
            throw DingTalkError(category: status >= 500 ? .retryable : .permanent, errcode: 0, errmsg: "unreadable answer (HTTP \(status))")
        }
        let errcode = answer["errcode"] as? Int ?? 0
        guard errcode == 0, status < 500 else {
            let category: DingTalkError.Category =
                [130101, 90030].contains(errcode) ? .rateLimited : (status >= 500 || errcode == -1 ? .retryable : .permanent)
            throw DingTalkError(category: category, errcode: errcode, errmsg: answer["errmsg"] as? String ?? "")
        }
    }
}
