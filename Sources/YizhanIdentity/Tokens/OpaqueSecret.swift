import Crypto
import Foundation

/// Random secrets handed to callers (refresh tokens, API keys) and the hashes stored in their place.
///
/// The secrets carry 256 random bits, so an unsalted SHA-256 is enough to make a leaked table
/// useless, and lets a presented secret be looked up by its hash.
public enum OpaqueSecret {
    /// `prefix` followed by `bytes` random bytes in unpadded base64url.
    public static func random(prefix: String = "", bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let data = Data((0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        return prefix + data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The stored form of a secret: lower-case hex SHA-256.
    public static func hash(_ secret: String) -> String {
        SHA256.hash(data: Data(secret.utf8)).map { byte in
            let text = String(byte, radix: 16)
            return byte < 16 ? "0" + text : text
        }.joined()
    }
}
