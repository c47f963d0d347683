import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import ProviderKitSupport

/// A WeCom group robot, addressed by the key in its webhook URL. No token: the key is the secret.
///
/// ```swift
/// let robot = WeComRobot(key: key)
/// try await robot.send(.markdown("**部署完成**"))
/// ```
/// Each robot takes at most 20 messages a minute (45009 beyond: ``ProviderErrorCategory/rateLimited(retryAfter:)``
/// with ``WeComError/frequencyBlock``). A robot has no dedupe key: a ``ProviderErrorCategory/maybeDelivered``
/// send repeated may show twice.
public struct WeComRobot: Sendable {
    /// The API base (``WeComClient/production`` or any URL such as the sandbox).
    public let baseURL: String
    /// Secret: never logged or put in an error.
    private let key: String
    private let timeout: TimeAmount
    private let http: HTTPClient

    public init(baseURL: String = WeComClient.production, key: String, timeout: TimeAmount = .seconds(10), httpClient: HTTPClient = .shared) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.key = key
        self.timeout = timeout
        self.http = httpClient
    }

    private var configuration: WeComClient.Configuration {
        .init(baseURL: baseURL, corpID: "", agentID: 0, secret: "", timeout: timeout)
    }

    /// `POST /cgi-bin/webhook/send?key=`.
    public func send(_ message: WeComRobotMessage) async throws(WeComError) {
        let body = try WeComClient.json(["msgtype": message.messageType, message.messageType: message.body])
        _ = try await WeComClient.call(
            http, configuration, method: .POST, path: "/cgi-bin/webhook/send", query: "key=\(WeComClient.percentEncoded(key))",
            body: body, contentType: nil, idempotent: false)
    }

    /// `POST /cgi-bin/webhook/upload_media?type=file|voice`: a file (≤ 20 MB) or AMR voice (≤ 2 MB)
    /// for ``WeComRobotMessage/file(mediaID:)`` or ``WeComRobotMessage/voice(mediaID:)``.
    public func upload(_ data: Data, filename: String, type: WeComMediaType = .file) async throws(WeComError) -> WeComMedia {
        guard type == .file || type == .voice else {
            throw WeComError(category: .permanent, errcode: 40004, errmsg: "a robot takes file or voice uploads")
        }
        guard data.count > 5, data.count <= type.maximumBytes else {
            throw WeComError(category: .permanent, errcode: 40006, errmsg: "a \(type.rawValue) must be 6 bytes to \(type.maximumBytes) bytes")
        }
        var form = MultipartBody()
        form.addFile("media", filename: filename, content: data, includeLength: true)
        let answer = try await WeComClient.call(
            http, configuration, method: .POST, path: "/cgi-bin/webhook/upload_media",
            query: "key=\(WeComClient.percentEncoded(key))&type=\(type.rawValue)", body: form.body, contentType: form.contentType, idempotent: true)
        return try WeComClient.media(answer)
    }
}
