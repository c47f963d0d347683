import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import ProviderKitSupport

/// A Feishu/Lark OpenAPI client for one self-built app.
///
/// ```swift
/// let client = LarkClient(configuration: .init(baseURL: LarkClient.feishu, appID: "cli_…", appSecret: secret))
/// let message = try await client.sendMessage(to: .email("a@corp.com"), content: .text("hi"), uuid: requestID)
/// ```
/// A call answered with a token error refreshes the token and is retried once. Failures are
/// ``LarkError``s whose ``ProviderErrorCategory`` says what to do; a send whose answer was lost is
/// ``ProviderErrorCategory/maybeDelivered``: send it again with the same `uuid`.
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
    public let tokens: any TokenSource<LarkError>
    private let http: HTTPClient

    /// - Parameters:
    ///   - configuration: Where and as whom to call.
    ///   - httpClient: The HTTP client to send with.
    ///   - tokens: Where tenant tokens come from (a marketplace source, Yizhan's token pool);
    ///     nil for an in-memory cache of this app's own tokens.
    public init(configuration: Configuration, httpClient: HTTPClient = .shared, tokens: (any TokenSource<LarkError>)? = nil) {
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
    ///
    /// Always asks Lark, and leaves the client's token source as it was: the calls after it do not
    /// use this token (a token pool or a verify step fetches through here on purpose).
    public func fetchTenantToken() async throws(LarkError) -> (token: String, expiresIn: Int) {
        try await TenantTokenFetcher(configuration: configuration, http: http).fetch()
    }

    /// The longest `uuid` Lark takes, counted in UTF-8 bytes.
    ///
    /// Lark documents "at most 50 characters" without saying how it counts them. Counting UTF-8
    /// bytes is the stricter reading: a uuid that passes here passes either way, so a send is never
    /// refused for its uuid after the pipeline has relied on it. For the ASCII ids a uuid normally
    /// is (a UUID, a request id) characters and bytes are the same.
    public static let maximumUUIDLength = 50
    /// How long Lark dedupes by `uuid`: a send repeated with the same uuid within this window is
    /// not delivered again. Retrying a ``ProviderErrorCategory/maybeDelivered`` send is safe only
    /// inside it.
    public static let uuidDedupeWindow: Duration = .seconds(3600)

    /// `POST /open-apis/im/v1/messages`: sends `content` to `recipient`.
    ///
    /// Give a `uuid` (1 to ``maximumUUIDLength`` UTF-8 bytes, one per message) to make retries
    /// safe: Lark delivers one message per uuid within ``uuidDedupeWindow`` (1 hour), so a send
    /// that failed as ``ProviderErrorCategory/maybeDelivered`` can be sent again with the same
    /// uuid within that hour and is delivered at most once.
    public func sendMessage(to recipient: LarkRecipient, content: LarkMessageContent, uuid: String? = nil) async throws(LarkError) -> LarkMessage {
        try Self.validate(uuid: uuid)
        var body: [String: String] = [
            "receive_id": recipient.id, "msg_type": content.messageType, "content": content.contentJSON,
        ]
        if let uuid { body["uuid"] = uuid }
        return try await authorized(
            path: "/open-apis/im/v1/messages?receive_id_type=\(recipient.type)", body: .json(body), idempotent: false,
            as: LarkMessage.self)
    }

    /// Refuses a `uuid` Lark would refuse, before anything is sent.
    static func validate(uuid: String?) throws(LarkError) {
        guard let uuid else { return }
        guard !uuid.isEmpty, uuid.utf8.count <= maximumUUIDLength else {
            throw LarkError(
                category: .permanent, code: 0, message: "a uuid is 1 to \(maximumUUIDLength) UTF-8 bytes, this one has \(uuid.utf8.count)")
        }
    }

    /// Calls with the tenant token; on a token error, invalidates it and retries once (a refused
    /// token means Lark did nothing, so this is safe for a send too).
    /// - Parameter idempotent: Whether doing the call twice is harmless; a lost answer of a call
    ///   that is not is ``ProviderErrorCategory/maybeDelivered``.
    func authorized<Value: Decodable>(
        _ method: HTTPMethod = .POST, path: String, body: LarkRequestBody?, idempotent: Bool, as type: Value.Type
    ) async throws(LarkError) -> Value {
        let token = try await tokens.token()
        do {
            return try await LarkHTTP.call(
                http, configuration, method: method, path: path, token: token, body: body, idempotent: idempotent, as: type)
        } catch where error.category == .authentication {
            await tokens.invalidate(token)
            let fresh = try await tokens.token()
            // The same token back means it is valid and this API refuses it: asking again would
            // only be refused again.
            guard fresh != token else { throw error }
            return try await LarkHTTP.call(
                http, configuration, method: method, path: path, token: fresh, body: body, idempotent: idempotent, as: type)
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
        let answer = try await LarkHTTP.send(
            http, configuration, path: "/open-apis/auth/v3/tenant_access_token/internal", token: nil, body: .json(body), idempotent: true)
        return try answer.flatToken(field: "tenant_access_token")
    }
}
