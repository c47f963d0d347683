import YizhanCore
import YizhanStorage

/// The signing key used when none is configured: generated once and kept in `settings`, sealed
/// under the master key (``SecretVault``), so every process of a deployment agrees on it and a copy
/// of the database alone cannot forge tokens. Configure `auth.jwtKeys` to rotate keys.
package enum StoredSigningKey {
    static let settingKey = "auth.jwt_signing_key"
    static let keyID = "stored-1"

    /// No master key and no configured signing keys: nothing to sign with safely.
    static let noVault = YizhanError(
        .serviceUnavailable, "No signing key: set YIZHAN_MASTER_KEY or YIZHAN_AUTH_JWT_KEYS.")

    /// Loads the key, generating it on first use. A key stored in plaintext by an older Yizhan is
    /// replaced by a new sealed one (compare-and-swap, so concurrent processes agree): the old key
    /// may be in backups, so it must not sign again. Access tokens signed with it stop verifying
    /// (clients refresh; refresh tokens are not signed).
    static func load(from database: any Database, vault: SecretVault) async throws -> SigningKey {
        let settings = SettingsStore(database: database)
        let candidate = try vault.seal(OpaqueSecret.random(bytes: 48), purpose: settingKey)
        var stored = try await settings.valueSettingIfAbsent(candidate, for: settingKey)
        if !SecretVault.isSealed(stored) {
            if try await settings.replace(settingKey, expected: stored, with: candidate) {
                stored = candidate
            } else {
                stored = try await settings.value(for: settingKey) ?? candidate
            }
        }
        return try SigningKey(id: keyID, secret: try vault.open(stored, purpose: settingKey))
    }

    /// Seals the stored key again under the vault's sealing key, if another configured key sealed
    /// it (`yizhan keys rotate`); the plaintext key, and so every token it signed, stays the same.
    /// The write is compare-and-set, so a value another process wrote meanwhile is read again.
    /// - Returns: What was found, or nil when no sealed key is stored (none yet, or a plaintext
    ///   one from an older Yizhan, which the next start replaces).
    package static func reseal(in database: any Database, vault: SecretVault) async throws -> SecretVault.Resealing? {
        let settings = SettingsStore(database: database)
        for _ in 0..<3 {
            guard let stored = try await settings.value(for: settingKey), SecretVault.isSealed(stored) else { return nil }
            let outcome = vault.reseal(stored, purpose: settingKey)
            guard case .resealed(let resealed) = outcome else { return outcome }
            if try await settings.replace(settingKey, expected: stored, with: resealed) { return outcome }
        }
        throw YizhanError(.conflict, "The stored signing key kept changing while it was being sealed again; run the rotation again.")
    }
}
