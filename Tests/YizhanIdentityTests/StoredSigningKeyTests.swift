import Foundation
import SQLKit
import Testing
import YizhanCore
@testable import YizhanIdentity
import YizhanStorage
import YizhanTesting

/// The generated JWT signing key is kept sealed under the master key, never in plaintext.
@Suite(.timeLimit(.minutes(2)))
struct StoredSigningKeyTests {
    @Test(arguments: TestEngines.all)
    func theGeneratedKeyIsStoredSealedAndSharedByEveryProcess(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, _ in
            let first = try await StoredSigningKey.load(from: database, vault: IdentityFixture.vault)
            let stored = try #require(try await SettingsStore(database: database).value(for: StoredSigningKey.settingKey))
            #expect(SecretVault.isSealed(stored))
            let second = try await StoredSigningKey.load(from: database, vault: IdentityFixture.vault)
            let token = try await AccessTokens(keys: [first], lifetime: .seconds(60)).issue(userID: "u", tenantID: "t", sessionID: "s", now: Date())
            #expect(try await AccessTokens(keys: [second], lifetime: .seconds(60)).verify(token, now: Date()) != nil)
            let otherVault = try SecretVault(masterKeys: SecretVault.generateMasterKey())
            await #expect(throws: SecretVaultError.self) { _ = try await StoredSigningKey.load(from: database, vault: otherVault) }
        }
    }

    @Test(arguments: TestEngines.all)
    func aPlaintextKeyFromAnOlderVersionIsReplacedByANewSealedOne(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, _ in
            let legacy = String(repeating: "legacy-secret-", count: 4)
            try await SettingsStore(database: database).set(legacy, for: StoredSigningKey.settingKey)
            let loaded = try await StoredSigningKey.load(from: database, vault: IdentityFixture.vault)
            let stored = try #require(try await SettingsStore(database: database).value(for: StoredSigningKey.settingKey))
            #expect(SecretVault.isSealed(stored))
            #expect(!stored.contains(legacy))
            // The old key may sit in a backup: what it signed no longer verifies.
            let forged = try await AccessTokens(keys: [try SigningKey(id: StoredSigningKey.keyID, secret: legacy)], lifetime: .seconds(60))
                .issue(userID: "u", tenantID: "t", sessionID: "s", now: Date())
            #expect(try await AccessTokens(keys: [loaded], lifetime: .seconds(60)).verify(forged, now: Date()) == nil)
            // Every process that loads it after the replacement agrees on the new key.
            let again = try await StoredSigningKey.load(from: database, vault: IdentityFixture.vault)
            let token = try await AccessTokens(keys: [loaded], lifetime: .seconds(60)).issue(userID: "u", tenantID: "t", sessionID: "s", now: Date())
            #expect(try await AccessTokens(keys: [again], lifetime: .seconds(60)).verify(token, now: Date()) != nil)
        }
    }

    @Test
    func sealedValuesOpenOnlyForTheirPurposeAndKey() throws {
        let vault = IdentityFixture.vault
        let sealed = try vault.seal("the secret", purpose: "a")
        #expect(try vault.open(sealed, purpose: "a") == "the secret")
        #expect(throws: SecretVaultError.cannotOpen) { try vault.open(sealed, purpose: "b") }
        var tampered = Array(sealed)
        tampered[tampered.count - 3] = tampered[tampered.count - 3] == "A" ? "B" : "A"
        #expect(throws: SecretVaultError.cannotOpen) { try vault.open(String(tampered), purpose: "a") }
        let rotated = try SecretVault(masterKeys: SecretVault.generateMasterKey() + "," + "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=")
        #expect(try rotated.open(sealed, purpose: "a") == "the secret")  // an old key still opens
        let underNewKey = try rotated.seal("new", purpose: "a")
        #expect(throws: SecretVaultError.self) { try vault.open(underNewKey, purpose: "a") }  // the new key seals
    }
}
