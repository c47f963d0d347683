import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1

/// A Feishu/Lark OpenAPI client for one self-built app.
///
/// ```swift
/// let client = LarkClient(configuration: .init(baseURL: LarkClient.feishu, appID: "cli_…", appSecret: secret))
/// let message = try await client.sendMessage(to: .email("a@corp.com"), content: .text("hi"), uuid: requestID)
/// ```
/// A call answered with a token error refreshes the token and is retried once.
public struct LarkClient: Sendable {
    /// `https://open.feishu.cn`
    public static let feishu = "https://open.feishu.cn"
    /// `https://open.larksuite.com`
    public static let lark = "https://open.larksuite.com"

    /// Where and as whom to call.
    public struct Configuration: Sendable {
        /// The API base (``LarkClient/feishu``, ``LarkClient/lark``, or any URL such as the sandbox).
        public var baseURL: String
        public var appID: String
        /// Secret: never logged or put in an error.
        public var appSecret: String
        /// Per request.
        public var timeout: TimeAmount

        public init(baseURL: String, appID: String, appSecret: String, timeout: TimeAmount = .seconds(10)) {
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.appID = appID
            self.appSecret = appSecret
            self.timeout = timeout
        }
    }

    public let configuration: Configuration
    /// Where tenant tokens come from; by default an in-memory cache fed by ``fetchTenantToken()``.
    public let tokens: any TokenSource
    private let http: HTTPClient

    public init(configuration: Configuration, httpClient: HTTPClient = .shared, tokens: (any TokenSource)? = nil) {
        self.configuration = configuration
        self.http = httpClient
        if let tokens {
            self.tokens = tokens
        } else {
            let fetcher = TenantTokenFetcher(configuration: configuration, http: httpClient)
            self.tokens = LarkTenantTokenCache { () async throws(LarkError) in try await fetcher.fetch() }
        }
    }

    /// `POST /open-apis/auth/v3/tenant_access_token/internal`: a token and its remaining seconds.
    public func fetchTenantToken() async throws(LarkError) -> (token: String, expiresIn: Int) {
        try await TenantTokenFetcher(configuration: configuration, http: http).fetch()
    }

    /// `POST /open-apis/im/v1/messages`: sends `content` to `recipient`. Give a `uuid` (≤ 50
    /// characters) to make retries safe: Lark delivers one message per uuid within an hour.
    public func sendMessage(to recipient: LarkRecipient, content: LarkMessageContent, uuid: String? = nil) async throws(LarkError) -> LarkMessage {
        var body: [String: String] = [
            "receive_id": recipient.id, "msg_type": content.messageType, "content": content.contentJSON,
        ]
        if let uuid { body["uuid"] = uuid }
        return try await authorized(
            path: "/open-apis/im/v1/messages?receive_id_type=\(recipient.type)", body: .json(body), as: LarkMessage.self)
    }

    /// Calls with the tenant token; on a token error, invalidates it and retries once.
    func authorized<Value: Decodable>(
        _ method: HTTPMethod = .POST, path: String, body: LarkRequestBody?, as type: Value.Type
    ) async throws(LarkError) -> Value {
        let token = try await tokens.token()
        do {
            return try await LarkHTTP.call(http, configuration, method: method, path: path, token: token, body: body, as: type)
        } catch where error.category == .tokenInvalid {
            await tokens.invalidate(token)
            let fresh = try await tokens.token()
            return try await LarkHTTP.call(http, configuration, method: method, path: path, token: fresh, body: body, as: type)
        }
    }
}

/// Fetches tenant tokens; separate so the default cache can hold it without holding the client.
struct TenantTokenFetcher: Sendable {
    let configuration: LarkClient.Configuration
    let http: HTTPClient

    func fetch() async throws(LarkError) -> (token: String, expiresIn: Int) {
        struct Answer: Decodable {
            var code: Int
            var msg: String?
            var tenant_access_token: String?
            var expire: Int?
        }
        let body = ["app_id": configuration.appID, "app_secret": configuration.appSecret]
        let (status, data, reset) = try await LarkHTTP.send(
            http, configuration, path: "/open-apis/auth/v3/tenant_access_token/internal", token: nil, body: .json(body))
        guard let answer = try? JSONDecoder().decode(Answer.self, from: data) else {
            throw LarkError(category: status >= 500 ? .retryable : .permanent, code: 0, message: "unreadable token answer", httpStatus: status)
        }
        guard answer.code == 0, let token = answer.tenant_access_token, let expire = answer.expire else {
            var error = LarkError.classify(status: status, code: answer.code, message: answer.msg ?? "", rateLimitReset: reset)
            // A token endpoint's own failure is bad credentials, not a stale token to refresh.
            if error.category == .tokenInvalid { error.category = .permanent }
            throw error
        }
        return (token, expire)
    }
}
