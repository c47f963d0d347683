import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import ProviderKitSupport

/// User sign-in with Lark (OAuth 2.0 authorization code, with PKCE): build the authorize URL,
/// exchange the code, refresh, read the user.
///
/// ```swift
/// let oauth = LarkOAuth(configuration: .init(appID: "cli_…", appSecret: secret))
/// let auth = oauth.authorization(redirectURI: "https://hub.corp/callback", scopes: ["offline_access"])
/// // redirect to auth.url; keep auth.state and auth.codeVerifier in the session
/// guard auth.matches(state: callbackState) else { refuse }
/// let token = try await oauth.exchange(code: code, redirectURI: …, codeVerifier: auth.codeVerifier)
/// ```
public struct LarkOAuth: Sendable {
    public struct Configuration: Sendable {
        public var appID: String
        /// Secret: never logged or put in an error.
        public var appSecret: String
        /// The authorize page (`https://accounts.feishu.cn/open-apis/authen/v1/authorize`;
        /// `accounts.larksuite.com` for Lark).
        public var authorizeURL: String
        /// The token endpoint: v2 `…/open-apis/authen/v2/oauth/token` (default) or v3 `https://accounts.feishu.cn/oauth/v3/token`.
        public var tokenURL: String
        /// The API base for `authen/v1/user_info`.
        public var apiBaseURL: String
        public var timeout: TimeAmount

        public init(
            appID: String, appSecret: String, authorizeURL: String = "https://accounts.feishu.cn/open-apis/authen/v1/authorize",
            tokenURL: String = "https://open.feishu.cn/open-apis/authen/v2/oauth/token", apiBaseURL: String = LarkClient.feishu,
            timeout: TimeAmount = .seconds(10)
        ) {
            self.appID = appID
            self.appSecret = appSecret
            self.authorizeURL = authorizeURL
            self.tokenURL = tokenURL
            self.apiBaseURL = apiBaseURL
            self.timeout = timeout
        }

        /// Every URL on one base, such as the sandbox.
        public static func sandbox(baseURL: String, appID: String, appSecret: String) -> Configuration {
            let base = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
            return Configuration(
                appID: appID, appSecret: appSecret, authorizeURL: base + "/open-apis/authen/v1/authorize",
                tokenURL: base + "/open-apis/authen/v2/oauth/token", apiBaseURL: base)
        }
    }

    public let configuration: Configuration
    private let http: HTTPClient

    public init(configuration: Configuration, httpClient: HTTPClient = .shared) {
        self.configuration = configuration
        self.http = httpClient
    }

    /// The authorize URL with a fresh `state` and, with `pkce`, an S256 challenge. Include
    /// `offline_access` in `scopes` to get a refresh token.
    public func authorization(redirectURI: String, scopes: [String] = [], pkce: Bool = true) -> LarkAuthorization {
        let state = LarkAuthorization.randomToken()
        let verifier = pkce ? LarkAuthorization.randomToken() : nil
        var components = URLComponents(string: configuration.authorizeURL) ?? URLComponents()
        var items = components.queryItems ?? []
        items.append(URLQueryItem(name: "client_id", value: configuration.appID))
        items.append(URLQueryItem(name: "redirect_uri", value: redirectURI))
        if !scopes.isEmpty { items.append(URLQueryItem(name: "scope", value: scopes.joined(separator: " "))) }
        items.append(URLQueryItem(name: "state", value: state))
        if let verifier {
            items.append(URLQueryItem(name: "code_challenge", value: LarkAuthorization.challenge(for: verifier)))
            items.append(URLQueryItem(name: "code_challenge_method", value: "S256"))
        }
        components.queryItems = items
        // "+" is a space to many servers: encode it.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        return LarkAuthorization(url: components.string ?? configuration.authorizeURL, state: state, codeVerifier: verifier)
    }

    /// Exchanges the callback's `code` (valid 5 minutes, once) for a user token.
    /// - Parameter redirectURI: The one the authorize URL carried; nil sends none (Lark then checks none).
    public func exchange(code: String, redirectURI: String?, codeVerifier: String?) async throws(LarkError) -> LarkUserToken {
        var body = [
            "grant_type": "authorization_code", "client_id": configuration.appID, "client_secret": configuration.appSecret,
            "code": code,
        ]
        if let redirectURI { body["redirect_uri"] = redirectURI }
        if let codeVerifier { body["code_verifier"] = codeVerifier }
        return try await token(body)
    }

    /// Renews a user token. The refresh token is single use: store the returned one at once; the
    /// old one is refused from now on (20007).
    public func refresh(_ refreshToken: String) async throws(LarkError) -> LarkUserToken {
        try await token([
            "grant_type": "refresh_token", "client_id": configuration.appID, "client_secret": configuration.appSecret,
            "refresh_token": refreshToken,
        ])
    }

    /// `GET /open-apis/authen/v1/user_info`: who the user token belongs to.
    public func userInfo(accessToken: String) async throws(LarkError) -> LarkUser {
        let configuration = LarkClient.Configuration(baseURL: configuration.apiBaseURL, appID: configuration.appID, appSecret: "", timeout: configuration.timeout)
        return try await LarkHTTP.call(http, configuration, method: .GET, path: "/open-apis/authen/v1/user_info", token: accessToken, body: nil, idempotent: true, as: LarkUser.self)
    }

    /// The token endpoint answers flat: `{code, access_token, …}` or `{code, error, error_description}`.
    private func token(_ body: [String: String]) async throws(LarkError) -> LarkUserToken {
        var request = HTTPClientRequest(url: configuration.tokenURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.body = .bytes(ByteBuffer(data: try LarkRequestBody.json(body).data))
        let status: Int
        let data: Data
        do {
            let (response, body) = try await http.exchange(request, timeout: configuration.timeout, upTo: LarkHTTP.maximumAnswerBytes)
            status = Int(response.status.code)
            data = Data(buffer: body)
        } catch {
            // A code is single use: an exchange whose answer was lost cannot be repeated safely.
            throw LarkError(category: .forTransportFailure(error, idempotent: false), code: 0, message: "request failed: \(type(of: error))")
        }
        struct Failure: Decodable {
            var code: Int?
            var error: String?
            var error_description: String?
        }
        if status == 200, let token = try? JSONDecoder().decode(LarkUserToken.self, from: data), !token.accessToken.isEmpty {
            return token
        }
        let failure = try? JSONDecoder().decode(Failure.self, from: data)
        var error = LarkError.classify(
            status: status, code: failure?.code ?? 0, message: [failure?.error, failure?.error_description].compactMap { $0 }.joined(separator: ": "),
            rateLimitReset: nil)
        // A refused grant is not a stale token to refresh.
        if error.category == .authentication { error.category = .permanent }
        if failure?.code == nil, status != 200 {
            error.category = .forStatusWithoutCode(status, idempotent: false)
        }
        throw error
    }
}
