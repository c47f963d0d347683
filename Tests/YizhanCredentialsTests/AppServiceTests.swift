import Foundation
import Testing
import YizhanCore
import YizhanCredentials
import YizhanIdentity
import YizhanStorage
import YizhanTesting

/// Registering, reading, changing and deleting apps, on both engines.
@Suite
struct AppServiceTests {
    @Test(arguments: TestEngines.all)
    func eachProviderRegistersWithIdentifiersShownAndSecretsOnlyNamed(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, _ in
            let fixture = try CredentialsFixture(database: database)
            let tenant = try await fixture.tenant("acme")
            var apps: [ProviderApp] = []
            for registration in SampleApps.all {
                apps.append(try await fixture.credentials.apps.create(registration, tenantID: tenant))
            }
            let (lark, wecom, bot, robot, ding) = (apps[0], apps[1], apps[2], apps[3], apps[4])
            #expect(lark.identifiers == ["app_id": "cli_a1b2c3d4"])
            #expect(lark.secretNames == ["app_secret", "encrypt_key", "verification_token"])
            #expect(lark.baseURL == "https://open.feishu.cn")
            #expect(lark.callbackPath == "/callbacks/lark/\(lark.id)")
            #expect(wecom.identifiers == ["corp_id": "wwcorp01", "agent_id": "1000002"])
            #expect(wecom.baseURL == "http://127.0.0.1:9")
            #expect(wecom.callbackPath == "/callbacks/wecom/\(wecom.id)")
            #expect(bot.identifiers["webhook_host"] == "open.feishu.cn")
            #expect(bot.baseURL == "https://open.feishu.cn")
            #expect(bot.identifiers["fingerprint"]?.count == 8)
            #expect(robot.callbackPath == nil && ding.secretNames == ["access_token", "secret"])
            #expect(robot.baseURL == "https://qyapi.weixin.qq.com" && ding.baseURL == "https://oapi.dingtalk.com")

            let listed = try await fixture.credentials.apps.list(tenantID: tenant, provider: nil, status: nil, page: .init())
            #expect(listed.total == 5)
            let robots = try await fixture.credentials.apps.list(tenantID: tenant, provider: .wecomRobot, status: nil, page: .init())
            #expect(robots.items.map(\.id) == [robot.id])

            let opened = try await fixture.credentials.apps.credentials(id: lark.id, tenantID: tenant)
            #expect(opened.secrets["app_secret"] == "LARKSECRETvalue123")
            #expect(!"\(opened.secrets)".contains("LARKSECRETvalue123"))
        }
    }

    @Test(arguments: TestEngines.all)
    func valuesPastedWithALineBreakMeanTheValue(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, _ in
            let fixture = try CredentialsFixture(database: database)
            let tenant = try await fixture.tenant("acme")
            let bot = try await fixture.credentials.apps.create(AppRegistration(
                name: "bot", provider: .larkBot,
                credentials: ["webhook_url": "https://open.feishu.cn/open-apis/bot/v2/hook/abc123\n", "secret": " s3cret\n"]), tenantID: tenant)
            let opened = try await fixture.credentials.apps.credentials(id: bot.id, tenantID: tenant).secrets
            #expect(opened["webhook_url"] == "https://open.feishu.cn/open-apis/bot/v2/hook/abc123")
            #expect(opened["secret"] == "s3cret")
        }
    }

    @Test(arguments: TestEngines.all)
    func badRegistrationsNameTheFieldAndStoreNothing(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, _ in
            let fixture = try CredentialsFixture(database: database)
            let tenant = try await fixture.tenant("acme")
            let cases: [(AppRegistration, String)] = [
                (.init(name: "x", provider: .lark, credentials: ["app_secret": "s"]), "credentials.app_id"),
                (.init(name: "x", provider: .lark, credentials: ["app_id": "app1", "app_secret": "s"]), "credentials.app_id"),
                (.init(name: "x", provider: .lark, credentials: ["app_id": "cli_1", "app_secret": "has space"]), "credentials.app_secret"),
                (.init(name: "x", provider: .lark, credentials: ["app_id": "cli_1", "app_secret": "s", "corp_id": "ww1"]), "credentials.corp_id"),
                (.init(name: "x", provider: .wecom, credentials: ["corp_id": "ww1", "agent_id": "0", "secret": "s"]), "credentials.agent_id"),
                (.init(name: "x", provider: .wecom, credentials: ["corp_id": "ww1", "agent_id": "1", "secret": "s",
                                                               "encoding_aes_key": "short"]), "credentials.encoding_aes_key"),
                (.init(name: "x", provider: .larkBot, credentials: ["webhook_url": "https://example.com/hook"]), "credentials.webhook_url"),
                (.init(name: "x", provider: .larkBot, baseURL: "https://open.feishu.cn",
                       credentials: ["webhook_url": "https://open.feishu.cn/open-apis/bot/v2/hook/abc"]), "base_url"),
                (.init(name: "x", provider: .dingtalkRobot, credentials: ["access_token": "t", "secret": "nope"]), "credentials.secret"),
                (.init(name: "x", provider: .wecomRobot, baseURL: "ftp://x.example", credentials: ["key": "k"]), "base_url"),
                (.init(name: " ", provider: .wecomRobot, credentials: ["key": "k"]), "name"),
            ]
            for (registration, field) in cases {
                let error = await yizhanError { _ = try await fixture.credentials.apps.create(registration, tenantID: tenant) }
                #expect(error?.code == .validationError, "\(field)")
                #expect(error?.details["field"] == .string(field), "\(registration.credentials.keys.sorted()) → \(String(describing: error))")
                let message = error?.message ?? ""
                #expect(message.contains("has space") == false)
            }
            #expect(try await fixture.credentials.apps.list(tenantID: tenant, provider: nil, status: nil, page: .init()).total == 0)
        }
    }

    @Test(arguments: TestEngines.all)
    func theSameAppTwiceInATenantIsAConflictButAnotherTenantMayHaveIt(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, _ in
            let fixture = try CredentialsFixture(database: database)
            let acme = try await fixture.tenant("acme")
            let other = try await fixture.tenant("other")
            for registration in SampleApps.all {
                _ = try await fixture.credentials.apps.create(registration, tenantID: acme)
                var again = registration
                again.name = "again"
                if registration.provider == .wecom || registration.provider == .lark {
                    again.credentials[registration.provider == .lark ? "app_secret" : "secret"] = "anotherSecret"
                }
                let error = await yizhanError { _ = try await fixture.credentials.apps.create(again, tenantID: acme) }
                #expect(error?.code == .conflict, "\(registration.provider)")
                _ = try await fixture.credentials.apps.create(registration, tenantID: other)
            }
            // The marketplace flavour of the same Lark app id is another app.
            var marketplace = SampleApps.lark
            marketplace.provider = .larkMarketplace
            #expect(try await fixture.credentials.apps.create(marketplace, tenantID: acme).provider == .larkMarketplace)
            let audit = try await fixture.identity.audit.list(tenantID: acme, filter: .init(action: "app.create"), page: .init())
            #expect(audit.total == 6)
        }
    }

    @Test(arguments: TestEngines.all)
    func maxAppsIsEnforcedAndADeletedAppFreesItsPlace(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, _ in
            let fixture = try CredentialsFixture(database: database)
            let tenant = try await fixture.tenant("acme", maxApps: 2)
            let first = try await fixture.credentials.apps.create(SampleApps.lark, tenantID: tenant)
            _ = try await fixture.credentials.apps.create(SampleApps.wecom, tenantID: tenant)
            let refused = await yizhanError { _ = try await fixture.credentials.apps.create(SampleApps.wecomRobot, tenantID: tenant) }
            #expect(refused?.code == .quotaExceeded)
            #expect(refused?.details["limit"] == .int(2))
            _ = try await fixture.credentials.apps.delete(id: first.id, tenantID: tenant)
            _ = try await fixture.credentials.apps.create(SampleApps.wecomRobot, tenantID: tenant)
        }
    }

    @Test(arguments: TestEngines.all)
    func concurrentRegistrationsNeverPassTheQuota(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, _ in
            let fixture = try CredentialsFixture(database: database)
            let tenant = try await fixture.tenant("acme", maxApps: 3)
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<12 {
                    group.addTask {
                        let robot = AppRegistration(name: "robot \(index)", provider: .wecomRobot, credentials: ["key": "key\(index)"])
                        return (try? await fixture.credentials.apps.create(robot, tenantID: tenant)) != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 }.count == 3)
            #expect(try await fixture.credentials.apps.list(tenantID: tenant, provider: nil, status: nil, page: .init()).total == 3)
        }
    }

    @Test(arguments: TestEngines.all)
    func updatesReplaceNamedSecretsDisableAndAreAuditedWithoutSecrets(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, _ in
            let fixture = try CredentialsFixture(database: database)
            let tenant = try await fixture.tenant("acme")
            let app = try await fixture.credentials.apps.create(SampleApps.wecom, tenantID: tenant)
            let renamed = try await fixture.credentials.apps.update(
                id: app.id, tenantID: tenant, AppChanges(name: "通知", baseURL: "https://qyapi.weixin.qq.com/", secrets: ["secret": "ROTATEDsecret"]))
            #expect(renamed.name == "通知" && renamed.baseURL == "https://qyapi.weixin.qq.com")
            let opened = try await fixture.credentials.apps.credentials(id: app.id, tenantID: tenant)
            #expect(opened.secrets["secret"] == "ROTATEDsecret")
            #expect(opened.secrets["token"] == "WECOMTOKEN42")

            let wrongName = await yizhanError {
                _ = try await fixture.credentials.apps.update(id: app.id, tenantID: tenant, AppChanges(secrets: ["app_secret": "x"]))
            }
            #expect(wrongName?.code == .validationError && wrongName?.status == 422)
            #expect(wrongName?.details["field"] == .string("credentials.app_secret"))

            _ = try await fixture.credentials.apps.update(id: app.id, tenantID: tenant, AppChanges(status: .disabled))
            let disabled = await yizhanError { _ = try await fixture.credentials.apps.credentials(id: app.id, tenantID: tenant) }
            #expect(disabled?.code == .appDisabled)

            let entries = try await fixture.identity.audit.list(tenantID: tenant, filter: .init(targetID: app.id), page: .init())
            #expect(entries.items.map(\.action).sorted() == ["app.create", "app.disable", "app.update"])
            let text = "\(entries.items)"
            for secret in SampleApps.secrets + ["ROTATEDsecret"] { #expect(!text.contains(secret)) }
            #expect(entries.items.first { $0.action == "app.update" }?.details["secrets_replaced"] == "secret")
        }
    }

    @Test(arguments: TestEngines.all)
    func movingAnAppToAnotherBaseURLNeedsItsSecretsGivenAgain(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, _ in
            let fixture = try CredentialsFixture(database: database)
            let tenant = try await fixture.tenant("acme")
            let apps = fixture.credentials.apps
            let lark = try await apps.create(SampleApps.lark, tenantID: tenant)
            let robot = try await apps.create(SampleApps.wecomRobot, tenantID: tenant)
            // Someone who may edit apps but does not know the secret cannot send it elsewhere.
            let redirect = await yizhanError {
                _ = try await apps.update(id: lark.id, tenantID: tenant, AppChanges(baseURL: "https://collector.example"))
            }
            #expect(redirect?.status == 422 && redirect?.details["field"] == .string("credentials.app_secret"))
            let robotMove = await yizhanError {
                _ = try await apps.update(id: robot.id, tenantID: tenant, AppChanges(baseURL: "https://collector.example"))
            }
            #expect(robotMove?.status == 422 && robotMove?.details["field"] == .string("base_url"))
            let userInfo = await yizhanError {
                _ = try await apps.update(id: lark.id, tenantID: tenant, AppChanges(baseURL: "https://open.feishu.cn@10.0.0.5"))
            }
            #expect(userInfo?.code == .validationError && userInfo?.details["field"] == .string("base_url"))
            #expect(try await apps.app(id: lark.id, tenantID: tenant).baseURL == "https://open.feishu.cn")

            let moved = try await apps.update(
                id: lark.id, tenantID: tenant, AppChanges(baseURL: "http://127.0.0.1:9", secrets: ["app_secret": "SandboxSecret"]))
            #expect(moved.baseURL == "http://127.0.0.1:9")
            let entry = try await fixture.identity.audit.list(tenantID: tenant, filter: .init(action: "app.update"), page: .init()).items
            #expect(entry.first?.details["previous_base_url"] == "https://open.feishu.cn")
            #expect(entry.first?.details["base_url"] == "http://127.0.0.1:9")
            #expect(!"\(AppChanges(secrets: ["app_secret": "SandboxSecret"]))".contains("SandboxSecret"))
        }
    }

    @Test(arguments: TestEngines.all)
    func robotsKeepTheirKeyAndLarkBotsTheirHost(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, _ in
            let fixture = try CredentialsFixture(database: database)
            let tenant = try await fixture.tenant("acme")
            let robot = try await fixture.credentials.apps.create(SampleApps.wecomRobot, tenantID: tenant)
            let bot = try await fixture.credentials.apps.create(SampleApps.larkBot, tenantID: tenant)
            let key = await yizhanError {
                _ = try await fixture.credentials.apps.update(id: robot.id, tenantID: tenant, AppChanges(secrets: ["key": "other"]))
            }
            #expect(key?.status == 422 && key?.details["field"] == .string("credentials.key"))
            let host = await yizhanError {
                _ = try await fixture.credentials.apps.update(id: bot.id, tenantID: tenant, AppChanges(baseURL: "https://evil.example"))
            }
            #expect(host?.status == 422)
            // A bot's signing secret may change.
            _ = try await fixture.credentials.apps.update(id: bot.id, tenantID: tenant, AppChanges(secrets: ["secret": "NEWbotSecret"]))
            #expect(try await fixture.credentials.apps.credentials(id: bot.id, tenantID: tenant).secrets["secret"] == "NEWbotSecret")
        }
    }

    @Test(arguments: TestEngines.all)
    func anotherTenantsAppIsNotFoundForEveryOperation(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, _ in
            let fixture = try CredentialsFixture(database: database)
            let acme = try await fixture.tenant("acme")
            let other = try await fixture.tenant("other")
            let app = try await fixture.credentials.apps.create(SampleApps.lark, tenantID: acme)
            let apps = fixture.credentials.apps
            let errors = [
                await yizhanError { _ = try await apps.app(id: app.id, tenantID: other) },
                await yizhanError { _ = try await apps.credentials(id: app.id, tenantID: other) },
                await yizhanError { _ = try await apps.update(id: app.id, tenantID: other, AppChanges(name: "taken")) },
                await yizhanError { _ = try await apps.delete(id: app.id, tenantID: other) },
            ]
            #expect(errors.map { $0?.code } == Array(repeating: .notFound, count: 4))
            #expect(try await apps.app(id: app.id, tenantID: acme).name == "告警机器人")
        }
    }
}
