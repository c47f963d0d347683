import Foundation
import SQLKit
import Synchronization
import Testing
import YizhanCore
import YizhanCredentials
import YizhanIdentity
import YizhanStorage
import YizhanTesting

/// `yizhan keys rotate`'s service: every sealed value moves to the first master key, a server's
/// write during the rotation is kept, and a value of a key that is not configured is left alone.
@Suite(.timeLimit(.minutes(2)))
struct KeyRotationTests {
    static let oldKey = CredentialsFixture.masterKey
    static let newKey = CredentialsFixture.otherKey
    static let strayKey = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8="

    static func id(_ key: String) throws -> String { try SecretVault(masterKeys: key).sealingKeyID }

    @Test(arguments: TestEngines.all)
    func everyValueSealedUnderTheOldKeyMovesToTheNewOneAndOpensWithItAlone(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, _ in
            let clock = ManualTimeSource()
            let old = try CredentialsFixture(database: database, masterKeys: Self.oldKey, clock: clock)
            let tenant = try await old.tenant("acme")
            var apps: [ProviderApp] = []
            for registration in SampleApps.all { apps.append(try await old.credentials.apps.create(registration, tenantID: tenant)) }
            let fetches = FetchCounter()
            let larkApp = try #require(apps.first { $0.provider == .lark })
            let keys = [TokenKey(appID: larkApp.id, kind: .larkTenant), TokenKey(appID: larkApp.id, kind: .larkApp)]
            for key in keys { _ = try await old.credentials.tokens.token(key, fetch: fetches.fetch) }
            let signingKey = try await Self.storeSigningKey(database, masterKeys: Self.oldKey)
            #expect(try await Self.keyIDs(database) == Set([try Self.id(Self.oldKey)]))

            let rotating = try CredentialsFixture(database: database, masterKeys: "\(Self.newKey),\(Self.oldKey)", clock: clock)
            let report = try await rotating.credentials.keyRotation.rotate(batchSize: 2)
            #expect(report.sealingKeyID == (try Self.id(Self.newKey)))
            #expect(report.counts[.appSecrets]?.resealed == apps.count)
            #expect(report.counts[.providerTokens]?.resealed == keys.count)
            #expect(report.counts[.signingKey]?.resealed == 1)
            #expect(report.isComplete)
            #expect(try await Self.keyIDs(database) == Set([try Self.id(Self.newKey)]))

            // The new key alone opens everything, and nothing is fetched again.
            let rotated = try CredentialsFixture(database: database, masterKeys: Self.newKey, clock: clock)
            for (app, registration) in zip(apps, SampleApps.all) {
                let secrets = try await rotated.credentials.apps.credentials(id: app.id, tenantID: tenant).secrets
                for field in registration.provider.fields where field.isSecret {
                    #expect(secrets[field.name] == registration.credentials[field.name], "\(app.provider) \(field.name)")
                }
            }
            for key in keys { _ = try await rotated.credentials.tokens.token(key, fetch: fetches.fetch) }
            #expect(fetches.count == keys.count)
            #expect(try await Self.openSigningKey(database, masterKeys: Self.newKey) == signingKey)

            // A second rotation finds everything current.
            let again = try await rotating.credentials.keyRotation.rotate()
            #expect(again.counts[.appSecrets]?.current == apps.count && again.counts[.appSecrets]?.resealed == 0)
            #expect(again.counts[.providerTokens]?.current == keys.count)
            #expect(again.counts[.signingKey]?.current == 1)
        }
    }

    @Test(arguments: TestEngines.all)
    func aServersWriteDuringTheRotationIsKeptAndResealedOnTheNextPass(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, _ in
            let clock = ManualTimeSource()
            // A server not yet restarted with the new key keeps sealing under the old one.
            let server = try CredentialsFixture(database: database, masterKeys: Self.oldKey, clock: clock)
            let tenant = try await server.tenant("acme")
            let app = try await server.credentials.apps.create(SampleApps.lark, tenantID: tenant)
            let wecom = try await server.credentials.apps.create(SampleApps.wecom, tenantID: tenant)
            // The WeCom app's token: changing the Lark app's secrets drops the Lark app's tokens.
            let key = TokenKey(appID: wecom.id, kind: .wecom)
            let fetches = FetchCounter()
            #expect(try await server.credentials.tokens.token(key, fetch: fetches.fetch) == "token-1")

            let rotating = try CredentialsFixture(database: database, masterKeys: "\(Self.newKey),\(Self.oldKey)", clock: clock)
            let interrupted = Mutex(Set<KeyRotationReport.Kind>())
            let report = try await rotating.credentials.keyRotation.rotate { kind in
                guard interrupted.withLock({ $0.insert(kind).inserted }) else { return }
                switch kind {
                case .appSecrets:
                    _ = try await server.credentials.apps.update(id: app.id, tenantID: tenant, AppChanges(secrets: ["app_secret": "CHANGEDsecret"]))
                case .providerTokens:
                    clock.advance(by: .seconds(7200))
                    #expect(try await server.credentials.tokens.token(key, fetch: fetches.fetch) == "token-2")
                case .signingKey:
                    break
                }
            }
            #expect(interrupted.withLock { $0 } == [.appSecrets, .providerTokens])
            #expect(report.counts[.appSecrets]?.resealed == 2)
            #expect(report.counts[.appSecrets]?.busy == 0)
            #expect(report.counts[.providerTokens]?.resealed == 1)
            #expect(report.counts[.providerTokens]?.busy == 0)
            #expect(report.isComplete)
            #expect(try await Self.keyIDs(database) == Set([try Self.id(Self.newKey)]))

            let rotated = try CredentialsFixture(database: database, masterKeys: Self.newKey, clock: clock)
            #expect(try await rotated.credentials.apps.credentials(id: app.id, tenantID: tenant).secrets["app_secret"] == "CHANGEDsecret")
            #expect(try await rotated.credentials.apps.credentials(id: wecom.id, tenantID: tenant).secrets["secret"] == "WECOMSECRETvalue123")
            #expect(try await rotated.credentials.tokens.token(key, fetch: fetches.fetch) == "token-2")
            #expect(fetches.count == 2)
        }
    }

    @Test(arguments: TestEngines.all)
    func aValueOfAKeyThatIsNotConfiguredIsReportedByIdAndLeftAsItIs(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, _ in
            let stray = try CredentialsFixture(database: database, masterKeys: Self.strayKey)
            let tenant = try await stray.tenant("acme")
            let lost = try await stray.credentials.apps.create(SampleApps.wecomRobot, tenantID: tenant)
            let old = try stray.with(masterKeys: Self.oldKey)
            let kept = try await old.credentials.apps.create(SampleApps.lark, tenantID: tenant)
            _ = try await Self.storeSigningKey(database, masterKeys: Self.strayKey)
            let before = try await Self.sealedSecrets(database, appID: lost.id)
            let signingKeyBefore = try await SettingsStore(database: database).value(for: "auth.jwt_signing_key")

            let rotating = try stray.with(masterKeys: "\(Self.newKey),\(Self.oldKey)")
            let report = try await rotating.credentials.keyRotation.rotate()
            #expect(report.counts[.appSecrets]?.resealed == 1)
            #expect(report.counts[.appSecrets]?.unknownKeys == [try Self.id(Self.strayKey): 1])
            #expect(report.counts[.signingKey]?.unknownKeys == [try Self.id(Self.strayKey): 1])
            #expect(!report.isComplete)
            #expect(try await Self.sealedSecrets(database, appID: lost.id) == before)
            #expect(try await SettingsStore(database: database).value(for: "auth.jwt_signing_key") == signingKeyBefore)
            #expect(try await stray.credentials.apps.credentials(id: lost.id, tenantID: tenant).secrets["key"] == "WECOMROBOTkey0001")
            let rotated = try stray.with(masterKeys: Self.newKey)
            #expect(try await rotated.credentials.apps.credentials(id: kept.id, tenantID: tenant).secrets["app_secret"] == "LARKSECRETvalue123")
        }
    }

    @Test(arguments: TestEngines.all)
    func withoutAMasterKeyTheRotationSaysSo(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, _ in
            let fixture = try CredentialsFixture(database: database, masterKeys: nil)
            let error = await yizhanError { _ = try await fixture.credentials.keyRotation.rotate() }
            #expect(error?.code == .masterKeyMissing)
        }
    }

    /// Has Identity generate and store its signing key under `masterKeys`; returns its plaintext.
    static func storeSigningKey(_ database: any Database, masterKeys: String) async throws -> String {
        let identity = Identity(
            database: database, configuration: IdentityConfiguration(signingKeys: [], bcryptCost: 4),
            keyVault: try SecretVault(masterKeys: masterKeys))
        try await identity.accessTokens.loadKeys()
        return try await openSigningKey(database, masterKeys: masterKeys)
    }

    static func openSigningKey(_ database: any Database, masterKeys: String) async throws -> String {
        let stored = try #require(try await SettingsStore(database: database).value(for: "auth.jwt_signing_key"))
        return try SecretVault(masterKeys: masterKeys).open(stored, purpose: "auth.jwt_signing_key")
    }

    static func sealedSecrets(_ database: any Database, appID: String) async throws -> String? {
        try await database.withConnection { work in
            try await work.raw("SELECT secrets FROM apps WHERE id = \(bind: appID)").first()?.decode(column: "secrets", as: String.self)
        }
    }

    /// The ids of the keys that sealed every stored secret, token and the signing key.
    static func keyIDs(_ database: any Database) async throws -> Set<String> {
        let values = try await database.withConnection { work in
            let secrets = try await work.raw("SELECT secrets AS v FROM apps").all()
            let tokens = try await work.raw("SELECT token AS v FROM provider_tokens WHERE token <> ''").all()
            let settings = try await work.raw("SELECT value AS v FROM settings WHERE key = 'auth.jwt_signing_key'").all()
            return try (secrets + tokens + settings).map { try $0.decode(column: "v", as: String.self) }
        }
        return Set(values.map { SecretVault.keyID(of: $0) ?? "not sealed" })
    }
}
