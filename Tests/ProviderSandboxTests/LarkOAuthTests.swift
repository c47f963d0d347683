import AsyncHTTPClient
import Foundation
import LarkKit
import NIOCore
import NIOHTTP1
import ProviderSandbox
import Testing

/// User OAuth with LarkKit against the sandbox: authorize, code exchange with PKCE, single-use
/// codes and refresh tokens.
@Suite(.timeLimit(.minutes(1)))
struct LarkOAuthTests {
    static let redirect = "https://hub.corp.example/lark/callback?from=test"

    /// Follows the authorize URL as a browser would, stopping at the redirect back.
    func authorize(_ url: String) async throws -> (code: String?, state: String?) {
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        defer { Task { try? await client.shutdown() } }
        let response = try await client.execute(HTTPClientRequest(url: url), timeout: .seconds(5))
        #expect(response.status == .found)
        let location = try #require(URLComponents(string: response.headers.first(name: "location") ?? ""))
        #expect(location.host == "hub.corp.example")
        let items = location.queryItems ?? []
        return (items.first { $0.name == "code" }?.value, items.first { $0.name == "state" }?.value)
    }

    func withOAuth(_ body: @Sendable (LarkOAuth, String) async throws -> Void) async throws {
        try await withLarkSandbox { _, baseURL in
            try await body(LarkOAuth(configuration: .sandbox(baseURL: baseURL, appID: "cli_test", appSecret: "s3cret")), baseURL)
        }
    }

    @Test
    func aUserSignsInWithPKCEAndTheTokenSaysWhoTheyAre() async throws {
        try await withOAuth { oauth, baseURL in
            try await control(baseURL, "/_sandbox/lark/oauth/login", #"{"open_id": "ou_bob"}"#)
            let auth = oauth.authorization(redirectURI: Self.redirect, scopes: ["contact:user.base:readonly", "offline_access"])
            #expect(auth.url.contains("code_challenge_method=S256"))
            let (code, state) = try await authorize(auth.url)
            #expect(auth.matches(state: state))
            #expect(!auth.matches(state: "forged"))
            let token = try await oauth.exchange(code: try #require(code), redirectURI: Self.redirect, codeVerifier: auth.codeVerifier)
            #expect(token.accessToken.hasPrefix("u-"))
            #expect(token.refreshToken != nil)
            #expect(!"\(token)".contains(token.accessToken))
            let user = try await oauth.userInfo(accessToken: token.accessToken)
            #expect(user.openID == "ou_bob")
            #expect(user.email == "bob@corp.example")

            let reused = await #expect(throws: LarkError.self) { try await oauth.exchange(code: code!, redirectURI: Self.redirect, codeVerifier: auth.codeVerifier) }
            #expect(reused?.code == 20007)
            #expect(reused?.category == .permanent)
        }
    }

    @Test
    func refreshTokensAreSingleUse() async throws {
        try await withOAuth { oauth, _ in
            let auth = oauth.authorization(redirectURI: Self.redirect, scopes: ["offline_access"])
            let (code, _) = try await authorize(auth.url)
            let first = try await oauth.exchange(code: try #require(code), redirectURI: Self.redirect, codeVerifier: auth.codeVerifier)
            let refreshed = try await oauth.refresh(try #require(first.refreshToken))
            #expect(refreshed.accessToken != first.accessToken)
            #expect(refreshed.refreshToken != first.refreshToken)
            let stale = await #expect(throws: LarkError.self) { try await oauth.refresh(first.refreshToken!) }
            #expect(stale?.code == 20007)
            let unknown = await #expect(throws: LarkError.self) { try await oauth.refresh("ur-made-up") }
            #expect(unknown?.code == 99991669)
            _ = try await oauth.refresh(try #require(refreshed.refreshToken))
        }
    }

    @Test
    func aWrongVerifierAnExpiredCodeAndNoOfflineAccessAreHandledAsLarkDoes() async throws {
        try await withOAuth { oauth, baseURL in
            let auth = oauth.authorization(redirectURI: Self.redirect)
            let (code, _) = try await authorize(auth.url)
            let wrong = await #expect(throws: LarkError.self) {
                try await oauth.exchange(code: code!, redirectURI: Self.redirect, codeVerifier: String(repeating: "a", count: 43))
            }
            #expect(wrong?.code == 20001)
            let missing = await #expect(throws: LarkError.self) { try await oauth.exchange(code: code!, redirectURI: Self.redirect, codeVerifier: nil) }
            #expect(missing?.code == 20001)
            let token = try await oauth.exchange(code: code!, redirectURI: Self.redirect, codeVerifier: auth.codeVerifier)
            #expect(token.refreshToken == nil)

            let late = oauth.authorization(redirectURI: Self.redirect, pkce: false)
            let (lateCode, _) = try await authorize(late.url)
            try await control(baseURL, "/_sandbox/clock/advance", #"{"seconds": 301}"#)
            let expired = await #expect(throws: LarkError.self) { try await oauth.exchange(code: lateCode!, redirectURI: Self.redirect, codeVerifier: nil) }
            #expect(expired?.code == 20004)

            try await control(baseURL, "/_sandbox/clock/advance", #"{"seconds": 7200}"#)
            let old = await #expect(throws: LarkError.self) { try await oauth.userInfo(accessToken: token.accessToken) }
            #expect(old?.code == 99991677)
        }
    }

    @Test
    func theV3EndpointRefusesAVerifierWithoutAChallenge() async throws {
        try await withOAuth { _, baseURL in
            var configuration = LarkOAuth.Configuration.sandbox(baseURL: baseURL, appID: "cli_test", appSecret: "s3cret")
            configuration.tokenURL = baseURL + "/oauth/v3/token"
            let v3 = LarkOAuth(configuration: configuration)
            let auth = v3.authorization(redirectURI: Self.redirect, pkce: false)
            let (code, _) = try await authorize(auth.url)
            let refused = await #expect(throws: LarkError.self) {
                try await v3.exchange(code: code!, redirectURI: Self.redirect, codeVerifier: String(repeating: "v", count: 43))
            }
            #expect(refused?.code == 20001)
            let wrongSecret = LarkOAuth(configuration: .sandbox(baseURL: baseURL, appID: "cli_test", appSecret: "nope"))
            let mismatch = await #expect(throws: LarkError.self) { try await wrongSecret.exchange(code: code!, redirectURI: Self.redirect, codeVerifier: nil) }
            #expect(mismatch?.code == 20002)
        }
    }
}
