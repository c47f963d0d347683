import AsyncHTTPClient
import Foundation

/// The token endpoints other than the self-built tenant token: the self-built `app_access_token`
/// and the marketplace flow (`app_ticket` → `app_access_token` → `tenant_access_token` per tenant).
/// They all answer flat bodies: `{code, msg, <token field>, expire}`.
public struct LarkAppTokens: Sendable {
    /// Code 10012: the app_ticket is invalid or missing; ask for a resend.
    public static let appTicketInvalid = 10012

    public let configuration: LarkClient.Configuration
    private let http: HTTPClient

    public init(configuration: LarkClient.Configuration, httpClient: HTTPClient = .shared) {
        self.configuration = configuration
        self.http = httpClient
    }

    /// `POST /open-apis/auth/v3/app_access_token/internal` (self-built apps).
    public func selfBuiltAppToken() async throws(LarkError) -> (token: String, expiresIn: Int) {
        try await flat(
            "/open-apis/auth/v3/app_access_token/internal", field: "app_access_token",
            body: ["app_id": configuration.appID, "app_secret": configuration.appSecret])
    }

    /// `POST /open-apis/auth/v3/app_ticket/resend`: asks Lark to push a fresh `app_ticket` to the
    /// event URL (marketplace apps; a self-built app gets 10016).
    public func resendAppTicket() async throws(LarkError) {
        let body = try LarkRequestBody.json(["app_id": configuration.appID, "app_secret": configuration.appSecret])
        let answer = try await LarkHTTP.send(
            http, configuration, path: "/open-apis/auth/v3/app_ticket/resend", token: nil, body: body, idempotent: true)
        if let failure = answer.failure(idempotent: true) { throw failure }
    }

    /// `POST /open-apis/auth/v3/app_access_token` with the pushed ticket (marketplace apps).
    public func marketplaceAppToken(appTicket: String) async throws(LarkError) -> (token: String, expiresIn: Int) {
        try await flat(
            "/open-apis/auth/v3/app_access_token", field: "app_access_token",
            body: ["app_id": configuration.appID, "app_secret": configuration.appSecret, "app_ticket": appTicket])
    }

    /// `POST /open-apis/auth/v3/tenant_access_token`: a tenant token of one tenant that installed
    /// the marketplace app.
    public func marketplaceTenantToken(appAccessToken: String, tenantKey: String) async throws(LarkError) -> (token: String, expiresIn: Int) {
        try await flat(
            "/open-apis/auth/v3/tenant_access_token", field: "tenant_access_token",
            body: ["app_access_token": appAccessToken, "tenant_key": tenantKey])
    }

    private func flat(_ path: String, field: String, body: [String: String]) async throws(LarkError) -> (token: String, expiresIn: Int) {
        try await LarkHTTP.send(http, configuration, path: path, token: nil, body: try .json(body), idempotent: true).flatToken(field: field)
    }
}
