import Foundation
import YizhanCore
import YizhanCredentials
import YizhanIdentity
import YizhanStorage
import YizhanTesting

/// What the credentials tests migrate: settings, Identity's schema (tenants, audit) and their own.
let credentialsMigrations = SettingsSchema.migrations + IdentitySchema.migrations + CredentialsSchema.migrations

/// Identity and Credentials on a test database, with a fixed master key.
struct CredentialsFixture: Sendable {
    static let masterKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="
    static let otherKey = "HxwdGhsYGRYXFBUSExAREA8ODQwLCgkIBwYFBAMCAQA="
    /// Apps may call the sandbox on the loopback interface beside the providers' public APIs.
    static let sandboxEgress = ProviderEgressPolicy(entries: [.host("127.0.0.1"), .host("localhost")])

    let database: any Database
    let identity: Identity
    let credentials: Credentials

    init(
        database: any Database, masterKeys: String? = CredentialsFixture.masterKey, clock: any TimeSource = SystemTimeSource(),
        tokenPool: TokenPoolConfiguration = .init(), egress: ProviderEgressPolicy = CredentialsFixture.sandboxEgress
    ) throws {
        self.database = database
        let vault = try masterKeys.map { keys throws in try SecretVault(masterKeys: keys) }
        self.identity = Identity(
            database: database,
            configuration: IdentityConfiguration(
                signingKeys: try SigningKey.parseList("k1:0123456789abcdef0123456789abcdef"), bcryptCost: 4),
            keyVault: vault)
        self.credentials = Credentials(database: database, identity: identity, vault: vault, clock: clock, egress: egress, tokenPool: tokenPool)
    }

    /// The same database seen with other master keys (another server, or after a rotation).
    func with(masterKeys: String?) throws -> CredentialsFixture {
        try CredentialsFixture(database: database, masterKeys: masterKeys)
    }

    /// A new tenant's id.
    func tenant(_ code: String, maxApps: Int? = nil) async throws -> String {
        try await identity.tenants.create(
            code: code, name: "Tenant \(code)", quotas: TenantQuotas(maxApps: maxApps),
            owner: .init(email: "owner@\(code).test", password: "correct horse battery")
        ).tenant.id
    }
}

/// One registration per provider, with secrets that are easy to find in a dump.
enum SampleApps {
    static let lark = AppRegistration(
        name: "告警机器人", provider: .lark,
        credentials: ["app_id": "cli_a1b2c3d4", "app_secret": "LARKSECRETvalue123", "encrypt_key": "LARKENCRYPTkey456",
                      "verification_token": "LARKVERIFYtoken789"])
    static let wecom = AppRegistration(
        name: "企业微信通知", provider: .wecom, baseURL: "http://127.0.0.1:9/",
        credentials: ["corp_id": "wwcorp01", "agent_id": "1000002", "secret": "WECOMSECRETvalue123", "token": "WECOMTOKEN42",
                      "encoding_aes_key": "jWmYm7qr5nMoAUwZRjGtBxmz3KA1tkAj3ykkR6q2B2C"])
    static let larkBot = AppRegistration(
        name: "Lark bot", provider: .larkBot,
        credentials: ["webhook_url": "https://open.feishu.cn/open-apis/bot/v2/hook/LARKHOOKtoken0001", "secret": "LARKBOTsecret01"])
    static let wecomRobot = AppRegistration(name: "WeCom robot", provider: .wecomRobot, credentials: ["key": "WECOMROBOTkey0001"])
    static let dingtalkRobot = AppRegistration(
        name: "DingTalk robot", provider: .dingtalkRobot,
        credentials: ["access_token": "DINGTALKtoken0001", "secret": "SECDINGTALKsecret01"])
    static let all = [lark, wecom, larkBot, wecomRobot, dingtalkRobot]

    /// Every secret value above (what a dump must not contain in clear text).
    static let secrets = all.flatMap { registration in
        registration.provider.fields.filter(\.isSecret).compactMap { registration.credentials[$0.name] }
    } + ["LARKHOOKtoken0001"]
}
