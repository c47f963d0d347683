import Foundation
import YizhanCore

/// Seals an app's secrets as one value under the master key, bound to the app's id, and opens
/// them again. Without a master key nothing is sealed: `MASTER_KEY_MISSING` says how to make one.
struct SecretSealer: Sendable {
    let vault: SecretVault?

    func seal(_ secrets: [String: String], appID: String) throws -> String {
        guard let vault else {
            throw YizhanError(
                .masterKeyMissing,
                "No master key is configured, so app secrets cannot be stored. Make one with `yizhan keys generate` "
                    + "and set YIZHAN_MASTER_KEY (or YIZHAN_MASTER_KEY_FILE) on every server.")
        }
        let json = try AppStore.json(secrets)
        do { return try vault.seal(json, purpose: Self.purpose(appID)) } catch {
            throw YizhanError(.internalError, "The app's secrets could not be sealed.")
        }
    }

    func open(_ sealed: String, appID: String) throws -> AppSecrets {
        guard let vault else {
            throw YizhanError(.masterKeyMissing, "No master key is configured, so the app's secrets cannot be opened.")
        }
        do {
            let json = try vault.open(sealed, purpose: Self.purpose(appID))
            return AppSecrets(try JSONDecoder().decode([String: String].self, from: Data(json.utf8)))
        } catch SecretVaultError.unknownKey(let keyID) {
            throw YizhanError(
                .masterKeyMissing, "The app's secrets were sealed under master key \(keyID), which is not configured here.",
                details: ["key_id": .string(keyID)])
        } catch {
            throw YizhanError(.masterKeyMissing, "The app's secrets cannot be opened with the configured master keys.")
        }
    }

    /// The associated data: a sealed value moved to another app's row does not open.
    static func purpose(_ appID: String) -> String { "apps/\(appID)/secrets" }
}
