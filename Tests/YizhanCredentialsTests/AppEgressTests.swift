import Foundation
import Testing
import YizhanCore
import YizhanCredentials
import YizhanIdentity
import YizhanStorage
import YizhanTesting

/// An app's provider calls go only where the egress policy allows, on both engines: refused when
/// registered or moved elsewhere (nothing stored, nothing audited), and refused before each call
/// once an operator narrows the policy.
@Suite
struct AppEgressTests {
    static let metadata = "http://169.254.169.254/latest"

    @Test(arguments: TestEngines.all)
    func anAppCannotBeRegisteredOrMovedToAHostTheOperatorDidNotAllow(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, _ in
            let fixture = try CredentialsFixture(database: database, egress: .publicOnly)
            let apps = fixture.credentials.apps
            let tenant = try await fixture.tenant("acme")
            var pointed = SampleApps.lark
            pointed.baseURL = Self.metadata
            let refused = await #expect(throws: YizhanError.self) { try await apps.create(pointed, tenantID: tenant) }
            #expect(refused?.status == 422 && refused?.details["field"] == .string("base_url"))
            #expect(refused?.message.contains("providers.allowedHosts") == true)
            // A Lark bot's webhook names its host.
            let bot = AppRegistration(
                name: "bot", provider: .larkBot, credentials: ["webhook_url": "http://10.0.0.8/open-apis/bot/v2/hook/abc"])
            let botRefused = await #expect(throws: YizhanError.self) { try await apps.create(bot, tenantID: tenant) }
            #expect(botRefused?.details["field"] == .string("credentials.webhook_url"))
            #expect(try await apps.list(tenantID: tenant, provider: nil, status: nil, page: .init()).total == 0)

            let lark = try await apps.create(SampleApps.lark, tenantID: tenant)
            let moved = await #expect(throws: YizhanError.self) {
                try await apps.update(id: lark.id, tenantID: tenant, AppChanges(baseURL: Self.metadata, secrets: ["app_secret": "AnotherSecret1"]))
            }
            #expect(moved?.status == 422 && moved?.details["field"] == .string("base_url"))
            #expect(try await apps.app(id: lark.id, tenantID: tenant).baseURL == "https://open.feishu.cn")
            let updates = try await fixture.identity.audit.list(tenantID: tenant, filter: .init(action: "app.update"), page: .init())
            #expect(updates.total == 0)
        }
    }

    @Test(arguments: TestEngines.all)
    func anAppWhoseHostTheOperatorNoLongerAllowsMakesNoProviderCall(engine: DatabaseEngine) async throws {
        try await withSandboxAndDatabase(engine) { sandbox, database, _ in
            let (fixture, lark, wecom) = try await TokenPoolSandboxTests.apps(database, sandbox: sandbox)
            _ = try await fixture.credentials.tokens.larkClient(appID: lark.id, tenantID: lark.tenantID)

            let narrowed = try CredentialsFixture(database: database, egress: .publicOnly)
            let refused = await #expect(throws: YizhanError.self) {
                try await narrowed.credentials.tokens.wecomClient(appID: wecom.id, tenantID: wecom.tenantID)
            }
            #expect(refused?.status == 422 && refused?.details["app_id"] == .string(wecom.id))
            await #expect(throws: YizhanError.self) { try await narrowed.credentials.verifier.verify(id: lark.id, tenantID: lark.tenantID) }
            await #expect(throws: (any Error).self) { try await narrowed.credentials.tokens.larkTokens(for: lark).token() }
            let stats = try await sandbox.stats("lark", "cli_pool")
            #expect(stats["token_fetches"] as? Int == 0)
        }
    }
}
