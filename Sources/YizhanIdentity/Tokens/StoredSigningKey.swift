import YizhanStorage

/// The signing key used when none is configured: generated once and kept in `settings`, so every
/// process of a deployment agrees on it. Configure `auth.jwtKeys` to rotate keys.
enum StoredSigningKey {
    static let settingKey = "auth.jwt_signing_key"
    static let keyID = "stored-1"

    static func load(from database: any Database) async throws -> SigningKey {
        let candidate = OpaqueSecret.random(bytes: 48)
        let secret = try await SettingsStore(database: database).valueSettingIfAbsent(candidate, for: settingKey)
        return try SigningKey(id: keyID, secret: secret)
    }
}
