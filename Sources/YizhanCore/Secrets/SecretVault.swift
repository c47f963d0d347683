import Crypto
import Foundation

/// Seals secrets that Yizhan keeps in its database (the generated JWT signing key today, provider
/// app credentials next) under the master key from the environment, so a copy of the database
/// alone reveals none of them.
///
/// AES-256-GCM; the *purpose* (e.g. the setting's key) is bound as associated data, so a sealed
/// value moved to another row does not open. A sealed value reads `yzsec1:<key id>:<base64url>`;
/// the key id is the first 8 hex digits of the key's SHA-256, so rotating keys is: put the new key
/// first, keep the old ones after it until every value is sealed again.
public struct SecretVault: Sendable {
    /// One master key.
    struct Key: Sendable {
        let id: String
        let key: SymmetricKey
    }

    /// The prefix of every sealed value.
    public static let prefix = "yzsec1:"

    private let keys: [Key]

    /// A vault from the master key setting: one or more base64-encoded 32-byte keys, separated by
    /// commas or line breaks (as in a key file). The first seals; every one opens.
    public init(masterKeys: String) throws(SecretVaultError) {
        let parts = Self.keyList(masterKeys)
        guard !parts.isEmpty else { throw .invalidMasterKey("no key given") }
        var keys: [Key] = []
        for part in parts {
            guard let bytes = Data(base64Encoded: part), bytes.count == 32 else {
                throw .invalidMasterKey("each key must be 32 bytes, base64-encoded (openssl rand -base64 32)")
            }
            let digest = SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
            keys.append(Key(id: String(digest.prefix(8)), key: SymmetricKey(data: bytes)))
        }
        self.keys = keys
    }

    /// The keys of a master key setting or file, in order: comma- or line-separated, blanks dropped.
    public static func keyList(_ masterKeys: String) -> [String] {
        masterKeys.split(whereSeparator: { $0 == "," || $0.isNewline }).map { $0.trimmingCharacters(in: .whitespaces) }
            .filter { !$0.isEmpty }
    }

    /// The id of the key that seals (the first), as it appears in sealed values.
    public var sealingKeyID: String { keys[0].id }

    /// The ids of every key, in order.
    public var keyIDs: [String] { keys.map(\.id) }

    /// The id of the key `sealed` was sealed under, or nil when it is not a sealed value.
    public static func keyID(of sealed: String) -> String? {
        guard isSealed(sealed) else { return nil }
        let parts = sealed.dropFirst(prefix.count).split(separator: ":", maxSplits: 1)
        guard parts.count == 2, !parts[0].isEmpty else { return nil }
        return String(parts[0])
    }

    /// A new random master key, base64-encoded.
    public static func generateMasterKey() -> String {
        SymmetricKey(size: .bits256).withUnsafeBytes { Data($0).base64EncodedString() }
    }

    /// Whether `value` is sealed (rather than a legacy plaintext value).
    public static func isSealed(_ value: String) -> Bool { value.hasPrefix(prefix) }

    /// `plaintext` sealed under the first key, bound to `purpose`.
    public func seal(_ plaintext: String, purpose: String) throws(SecretVaultError) -> String {
        let key = keys[0]
        do {
            let box = try AES.GCM.seal(Data(plaintext.utf8), using: key.key, authenticating: Data(purpose.utf8))
            guard let combined = box.combined else { throw SecretVaultError.cannotOpen }
            return Self.prefix + key.id + ":" + Self.base64URL(combined)
        } catch {
            throw .cannotOpen
        }
    }

    /// The plaintext of a value made by ``seal(_:purpose:)`` for the same purpose.
    /// - Throws: `unknownKey` when none of the master keys sealed it; `cannotOpen` when it is
    ///   damaged or was sealed for another purpose.
    public func open(_ sealed: String, purpose: String) throws(SecretVaultError) -> String {
        let parts = sealed.dropFirst(Self.prefix.count).split(separator: ":", maxSplits: 1)
        guard Self.isSealed(sealed), parts.count == 2, let combined = Self.data(base64URL: String(parts[1])) else {
            throw .cannotOpen
        }
        guard let key = keys.first(where: { $0.id == parts[0] }) else { throw .unknownKey(String(parts[0])) }
        do {
            let box = try AES.GCM.SealedBox(combined: combined)
            let plaintext = try AES.GCM.open(box, using: key.key, authenticating: Data(purpose.utf8))
            guard let text = String(data: plaintext, encoding: .utf8) else { throw SecretVaultError.cannotOpen }
            return text
        } catch {
            throw .cannotOpen
        }
    }

    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    private static func data(base64URL text: String) -> Data? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64)
    }
}

/// Why a secret cannot be sealed or opened. Never carries key material or plaintext.
public enum SecretVaultError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The master key setting is malformed.
    case invalidMasterKey(String)
    /// The value was sealed under a key (this id) that is not among the master keys.
    case unknownKey(String)
    /// The value is damaged, or was sealed for another purpose or under another key.
    case cannotOpen

    public var description: String {
        switch self {
        case .invalidMasterKey(let reason): "The master key is invalid: \(reason)."
        case .unknownKey(let id): "A stored secret was sealed under master key \(id), which is not configured."
        case .cannotOpen: "A stored secret cannot be opened: it is damaged or was sealed under another key."
        }
    }
}
