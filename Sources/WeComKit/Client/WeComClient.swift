import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import ProviderKitSupport

/// A WeCom API client for one app (corp id, agent id and its secret).
///
/// ```swift
/// let client = WeComClient(configuration: .init(corpID: "ww…", agentID: 1000002, secret: secret))
/// let result = try await client.send(.text("deploy done"), to: .init(users: ["zhangsan", "lisi"]))
/// if !result.reachedEveryone { … result.invalidUsers … }
/// ```
/// The token goes in the query string, as WeCom requires. A token error (40014, 42001, 40001)
/// refreshes the token and retries the call once. Tokens come from an in-memory cache, or from
/// any ``TokenSource`` (Yizhan's token pool) given to ``init(configuration:httpClient:tokens:)``.
/// Failures are ``WeComError``s whose ``ProviderErrorCategory`` says what to do.
public struct WeComClient: Sendable {
    /// `https://qyapi.weixin.qq.com`
    public static let production = "https://qyapi.weixin.qq.com"

    public struct Configuration: Sendable {
        /// The API base (``WeComClient/production`` or any URL such as the sandbox).
        public var baseURL: String
        public var corpID: String
        public var agentID: Int
        /// Secret: never logged or put in an error.
        public var secret: String
        public var timeout: TimeAmount

        public init(baseURL: String = WeComClient.production, corpID: String, agentID: Int, secret: String, timeout: TimeAmount = .seconds(10)) {
            self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            self.corpID = corpID
            self.agentID = agentID
            self.secret = secret
            self.timeout = timeout
        }
    }

    public let configuration: Configuration
    /// Where access tokens come from; by default an in-memory cache fed by ``fetchToken()``.
    public let tokens: any TokenSource<WeComError>
    private let http: HTTPClient

    /// - Parameters:
    ///   - configuration: Which app, and where to call.
    ///   - httpClient: The HTTP client to send with.
    ///   - tokens: Where access tokens come from (Yizhan's token pool); nil for an in-memory
    ///     cache of this app's own tokens.
    public init(configuration: Configuration, httpClient: HTTPClient = .shared, tokens: (any TokenSource<WeComError>)? = nil) {
        self.configuration = configuration
        self.http = httpClient
        if let tokens {
            self.tokens = tokens
        } else {
            let fetch = { @Sendable () async throws(WeComError) -> (token: String, expiresIn: Int) in
                try await WeComClient.fetchToken(http: httpClient, configuration: configuration)
            }
            self.tokens = SharedTokenCache(
                now: Date.init, wrap: { _ in WeComError(category: .retryable, errcode: 0, errmsg: "token fetch failed") }, fetch: fetch)
        }
    }

    /// `GET /cgi-bin/gettoken`: a token and its remaining seconds.
    public func fetchToken() async throws(WeComError) -> (token: String, expiresIn: Int) {
        try await Self.fetchToken(http: http, configuration: configuration)
    }

    /// Calls with the token in the query; on a token error, refetches it and retries once (a
    /// refused token means WeCom did nothing, so this is safe for a send too).
    /// - Parameter idempotent: Whether doing the call twice is harmless; a lost answer of a call
    ///   that is not is ``ProviderErrorCategory/maybeDelivered``.
    func authorized(_ method: HTTPMethod = .POST, path: String, query: String = "", body: [String: Any], idempotent: Bool) async throws(WeComError) -> [String: Any] {
        try await authorized(
            method, path: path, query: query, body: try Self.json(body), contentType: "application/json; charset=utf-8", idempotent: idempotent)
    }

    /// The same with an encoded body (nil for a GET).
    func authorized(
        _ method: HTTPMethod, path: String, query: String, body: Data?, contentType: String?, idempotent: Bool
    ) async throws(WeComError) -> [String: Any] {
        let extra = query.isEmpty ? "" : "&" + query
        let token = try await tokens.token()
        do {
            return try await Self.call(
                http, configuration, method: method, path: path, query: "access_token=\(token)" + extra, body: body, contentType: contentType,
                idempotent: idempotent)
        } catch where error.category == .authentication {
            await tokens.invalidate(token)
            let fresh = try await tokens.token()
            // The same token back means it is valid and this API refuses it: asking again would
            // only be refused again.
            guard fresh != token else { throw error }
            return try await Self.call(
                http, configuration, method: method, path: path, query: "access_token=\(fresh)" + extra, body: body, contentType: contentType,
                idempotent: idempotent)
        }
    }

    /// JSON with sorted keys: the same message is the same bytes, which WeCom's duplicate check compares.
    static func json(_ body: [String: Any]) throws(WeComError) -> Data {
        do { return try JSONSerialization.data(withJSONObject: body, options: [.sortedKeys]) } catch {
            throw WeComError(category: .permanent, errcode: 0, errmsg: "the message cannot be encoded")
        }
    }

    private static func fetchToken(http: HTTPClient, configuration: Configuration) async throws(WeComError) -> (token: String, expiresIn: Int) {
        let query = "corpid=\(percentEncoded(configuration.corpID))&corpsecret=\(percentEncoded(configuration.secret))"
        let answer: [String: Any]
        do {
            answer = try await call(
                http, configuration, method: .GET, path: "/cgi-bin/gettoken", query: query, body: nil, contentType: nil, idempotent: true)
        } catch {
            // A failing gettoken is bad credentials, not a stale token to refresh.
            throw error.category == .authentication ? WeComError(category: .permanent, errcode: error.errcode, errmsg: error.errmsg, httpStatus: error.httpStatus) : error
        }
        guard let token = answer["access_token"] as? String, let expires = answer["expires_in"] as? Int else {
            throw WeComError(category: .permanent, errcode: 0, errmsg: "gettoken answered without a token")
        }
        return (token, expires)
    }

    /// One exchange; any `errcode` other than 0, and any 4xx or 5xx, becomes a classified error.
    static func call(
        _ http: HTTPClient, _ configuration: Configuration, method: HTTPMethod, path: String, query: String, body: Data?,
        contentType: String?, idempotent: Bool
    ) async throws(WeComError) -> [String: Any] {
        var request = HTTPClientRequest(url: configuration.baseURL + path + "?" + query)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: contentType ?? "application/json; charset=utf-8")
            request.body = .bytes(ByteBuffer(data: body))
        }
        let status: Int
        let bytes: ByteBuffer
        do {
            let answer = try await http.exchange(request, timeout: configuration.timeout, upTo: 4 * 1024 * 1024)
            status = Int(answer.response.status.code)
            bytes = answer.body
        } catch {
            throw WeComError(
                category: .forTransportFailure(error, idempotent: idempotent), errcode: 0, errmsg: "request failed: \(type(of: error))")
        }
        return try WeComAnswer.read(status: status, body: Data(buffer: bytes), idempotent: idempotent)
    }

    static func percentEncoded(_ text: String) -> String {
        text.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-._~"))) ?? text
    }
}
