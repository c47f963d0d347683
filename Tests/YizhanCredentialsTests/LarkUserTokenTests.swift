import AsyncHTTPClient
import Foundation
import LarkKit
import NIOCore
import NIOHTTP1
import SQLKit
import Testing
import YizhanCore
import YizhanCredentials
import YizhanStorage
import YizhanTesting

/// Lark users' OAuth tokens in the pool against the sandbox, on both engines: the exchanged pair
/// is kept sealed, the access token is used until it expires (or, in its last 10 %, while one
/// refresh runs behind it), and the single-use refresh token renews
/// it once for every caller and is rotated.
@Suite(.timeLimit(.minutes(3)))
struct LarkUserTokenTests {
    static let redirect = "https://hub.corp.example/lark/callback"
    static let tokenPath = "/open-apis/authen/v2/oauth/token"

    @Test(arguments: TestEngines.all)
    func theExchangedTokenIsKeptSealedUsedUntilStaleAndRenewedWithARotatedRefreshToken(engine: DatabaseEngine) async throws {
        try await withUsers(engine) { sandbox, fixture, app, clock, test in
            let granted = try await Self.authorize(fixture, app, sandbox)
            #expect(granted.openID == "ou_bob" && granted.expiresIn == 7200 && granted.refreshExpiresIn == 7 * 24 * 3600)
            let tokens = fixture.credentials.tokens.larkUserTokens(for: app, openID: "ou_bob")
            let first = try await tokens.token()
            #expect(first.hasPrefix("u-"))
            clock.advance(by: .seconds(3600))
            #expect(try await tokens.token() == first)
            #expect(try await Self.tokenCalls(sandbox) == 1)
            let oldRefresh = try await Self.storedRefreshToken(fixture, app)
            #expect(oldRefresh.hasPrefix("ur-"))

            // Expired: one refresh, with the stored refresh token, which Lark then refuses.
            clock.advance(by: .seconds(3700))
            let second = try await tokens.token()
            #expect(second != first && second.hasPrefix("u-"))
            #expect(try await Self.tokenCalls(sandbox) == 2)
            let oauth = LarkOAuth(configuration: .sandbox(baseURL: sandbox.baseURL, appID: "cli_users", appSecret: "USERSsecret"))
            let spent = await #expect(throws: LarkError.self) { try await oauth.refresh(oldRefresh) }
            #expect(spent?.code == 20007)
            let newRefresh = try await Self.storedRefreshToken(fixture, app)
            #expect(newRefresh != oldRefresh)

            // The rotated one renews again, in another process too.
            clock.advance(by: .seconds(7300))
            let other = try CredentialsFixture(database: fixture.database, clock: clock)
            let third = try await other.credentials.tokens.larkUserTokens(for: app, openID: "ou_bob").token()
            #expect(third != second)
            // Exchange, two refreshes, and the refused attempt with the spent one above.
            #expect(try await Self.tokenCalls(sandbox) == 4)
            #expect(try await tokens.token() == third)

            // Nothing kept is in clear text in the database.
            let kept = try await Self.storedRefreshToken(fixture, app)
            let dump = try SecretsAtRestTests.dump(test)
            #expect(dump.contains("ou_bob"), "the dump must hold the user's rows, or the test proves nothing")
            for token in [first, second, third, oldRefresh, newRefresh, kept] {
                #expect(!dump.contains(token))
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func aHundredCallersOfTwoServersOnAnExpiredUserTokenMakeOneRefresh(engine: DatabaseEngine) async throws {
        try await withUsers(engine) { sandbox, fixture, app, clock, test in
            _ = try await Self.authorize(fixture, app, sandbox)
            clock.advance(by: .seconds(7300))
            // A second server: its own connection pool on the same database.
            let other = try test.open()
            let tokens = try await other.whileRunning {
                let second = try CredentialsFixture(database: other, clock: clock)
                let pools = [fixture.credentials.tokens, second.credentials.tokens]
                return try await withThrowingTaskGroup(of: String.self) { group in
                    for caller in 0..<100 {
                        let pool = pools[caller % 2]
                        group.addTask { try await pool.larkUserTokens(for: app, openID: "ou_bob").token() }
                    }
                    return try await group.reduce(into: Set<String>()) { $0.insert($1) }
                }
            }
            #expect(tokens.count == 1)
            #expect(try await Self.tokenCalls(sandbox) == 2)
            let errors = try await sandbox.stats("lark", "cli_users")["errors"] as? [String: Int] ?? [:]
            #expect(errors.isEmpty, "a spent refresh token was used: \(errors)")
        }
    }

    @Test(arguments: TestEngines.all)
    func aRefusedRefreshTokenIsDroppedAndTheUserMustAuthorizeAgain(engine: DatabaseEngine) async throws {
        try await withUsers(engine) { sandbox, fixture, app, clock, _ in
            _ = try await Self.authorize(fixture, app, sandbox)
            // Someone else spends the stored refresh token.
            let oauth = LarkOAuth(configuration: .sandbox(baseURL: sandbox.baseURL, appID: "cli_users", appSecret: "USERSsecret"))
            _ = try await oauth.refresh(try await Self.storedRefreshToken(fixture, app))
            clock.advance(by: .seconds(7300))
            let tokens = fixture.credentials.tokens.larkUserTokens(for: app, openID: "ou_bob")
            let refused = await #expect(throws: LarkError.self) { try await tokens.token() }
            #expect(refused?.category == .permanent && refused?.code == 20007)
            #expect(refused?.message.contains("must authorize the app again") == true)
            #expect(try await Self.sealedRefreshToken(fixture, app) == "")
            // Without a kept refresh token, Lark is not asked again.
            let again = await #expect(throws: LarkError.self) { try await tokens.token() }
            #expect(again?.category == .permanent && again?.message.contains("must authorize the app again") == true)
            #expect(try await Self.tokenCalls(sandbox) == 3)

            // Authorizing again makes the user's tokens usable at once.
            _ = try await Self.authorize(fixture, app, sandbox)
            #expect(try await tokens.token().hasPrefix("u-"))
        }
    }

    @Test(arguments: TestEngines.all)
    func aUsersAuthorizationSurvivesANewAppSecretButNotAMoveToAnotherDeployment(engine: DatabaseEngine) async throws {
        try await withUsers(engine) { sandbox, fixture, app, _, _ in
            _ = try await Self.authorize(fixture, app, sandbox)
            let tokens = fixture.credentials.tokens.larkUserTokens(for: app, openID: "ou_bob")
            let first = try await tokens.token()
            _ = try await fixture.credentials.apps.update(id: app.id, tenantID: app.tenantID, AppChanges(secrets: ["app_secret": "USERSsecret"]))
            #expect(try await tokens.token() == first)
            #expect(try await Self.sealedRefreshToken(fixture, app).hasPrefix("none") == false)

            _ = try await fixture.credentials.apps.update(
                id: app.id, tenantID: app.tenantID, AppChanges(baseURL: "http://127.0.0.1:9", secrets: ["app_secret": "USERSsecret"]))
            #expect(try await Self.sealedRefreshToken(fixture, app) == "none")
            #expect(try await Self.tokenCalls(sandbox) == 1)
        }
    }

    @Test(arguments: TestEngines.all)
    func aRefusedCodeIsAValidationErrorAndAWrongProviderIsRefused(engine: DatabaseEngine) async throws {
        try await withUsers(engine) { sandbox, fixture, app, _, _ in
            let users = fixture.credentials.larkUsers
            let refused = await yizhanError {
                _ = try await users.exchange(code: "madeup", redirectURI: nil, codeVerifier: nil, appID: app.id, tenantID: app.tenantID)
            }
            #expect(refused?.code == .validationError && refused?.details["provider_code"] == .int(20003))
            let malformed = await yizhanError {
                _ = try await users.exchange(code: "a b", redirectURI: nil, codeVerifier: nil, appID: app.id, tenantID: app.tenantID)
            }
            #expect(malformed?.details["field"] == .string("code"))
            let robot = try await fixture.credentials.apps.create(SampleApps.wecomRobot, tenantID: app.tenantID)
            let wrong = await yizhanError {
                _ = try await users.exchange(code: "abc", redirectURI: nil, codeVerifier: nil, appID: robot.id, tenantID: app.tenantID)
            }
            #expect(wrong?.code == .validationError)
            #expect(try await Self.tokenCalls(sandbox) == 1)
        }
    }

    // MARK: Helpers

    /// Lets ou_bob authorize the app at the sandbox (with PKCE and `offline_access`) and stores
    /// the exchanged tokens.
    static func authorize(_ fixture: CredentialsFixture, _ app: ProviderApp, _ sandbox: SandboxEndpoint) async throws -> LarkUserAuthorization {
        try await sandbox.control("/_sandbox/lark/oauth/login", #"{"open_id": "ou_bob"}"#)
        let oauth = LarkOAuth(configuration: .sandbox(baseURL: sandbox.baseURL, appID: "cli_users", appSecret: "USERSsecret"))
        let authorization = oauth.authorization(redirectURI: redirect, scopes: ["offline_access"])
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        let browser = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let response = try await browser.execute(HTTPClientRequest(url: authorization.url), timeout: .seconds(10))
        try await browser.shutdown()
        let location = try #require(URLComponents(string: response.headers.first(name: "location") ?? ""))
        let code = try #require(location.queryItems?.first { $0.name == "code" }?.value)
        return try await fixture.credentials.larkUsers.exchange(
            code: code, redirectURI: redirect, codeVerifier: authorization.codeVerifier, appID: app.id, tenantID: app.tenantID)
    }

    /// Calls of the OAuth token endpoint (exchanges and refreshes) the sandbox counted.
    static func tokenCalls(_ sandbox: SandboxEndpoint) async throws -> Int {
        (try await sandbox.stats("lark", "cli_users")["calls"] as? [String: Int])?[tokenPath] ?? 0
    }

    static func sealedRefreshToken(_ fixture: CredentialsFixture, _ app: ProviderApp) async throws -> String {
        try await fixture.database.withConnection { work in
            try await work.raw("""
                SELECT token FROM provider_tokens WHERE app_id = \(bind: app.id) AND kind = 'lark_user_refresh' AND subject = 'ou_bob'
                """).first()?.decode(column: "token", as: String.self) ?? "none"
        }
    }

    /// The refresh token kept for ou_bob, opened with the fixture's master key.
    static func storedRefreshToken(_ fixture: CredentialsFixture, _ app: ProviderApp) async throws -> String {
        let vault = try SecretVault(masterKeys: CredentialsFixture.masterKey)
        return try vault.open(try await sealedRefreshToken(fixture, app), purpose: "apps/\(app.id)/tokens/lark_user_refresh/ou_bob")
    }

    /// A sandbox with the self-built app `cli_users` and the user ou_bob, and the app registered in
    /// Yizhan on a fresh database, its pool on a manual clock.
    func withUsers(
        _ engine: DatabaseEngine,
        _ body: @Sendable (SandboxEndpoint, CredentialsFixture, ProviderApp, ManualTimeSource, TestDatabase) async throws -> Void
    ) async throws {
        try await withSandboxAndDatabase(engine) { sandbox, database, test in
            try await sandbox.control("/_sandbox/lark/apps", #"{"app_id": "cli_users", "app_secret": "USERSsecret", "rate_limits": false}"#)
            try await sandbox.control("/_sandbox/lark/users", #"{"open_id": "ou_bob", "name": "Bob", "email": "bob@corp.example"}"#)
            let clock = ManualTimeSource(start: Date())
            let fixture = try CredentialsFixture(database: database, clock: clock)
            let tenant = try await fixture.tenant("acme")
            let app = try await fixture.credentials.apps.create(
                .init(name: "Users", provider: .lark, baseURL: sandbox.baseURL, credentials: ["app_id": "cli_users", "app_secret": "USERSsecret"]),
                tenantID: tenant)
            try await body(sandbox, fixture, app, clock, test)
        }
    }
}
