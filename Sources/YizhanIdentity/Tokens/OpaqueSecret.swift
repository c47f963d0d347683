import Crypto
import Foundation

/// Random secrets handed to callers (refresh tokens, API keys) and the hashes stored in their place.
///
/// The secrets carry 256 random bits, so an unsalted SHA-256 is enough to make a leaked table
/// useless, and lets a presented secret be looked up by its hash.
package enum OpaqueSecret {
    /// `prefix` followed by `bytes` random bytes in unpadded base64url.
    package static func random(prefix: String = "", bytes: Int = 32) -> String {
        var generator = SystemRandomNumberGenerator()
        let data = Data((0..<bytes).map { _ in UInt8.random(in: .min ... .max, using: &generator) })
        return prefix + data.base64EncodedString()
            .replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }

    /// The stored form of a secret: lower-case hex SHA-256. On the path of every authenticated
    /// request (the principal cache key), so it avoids per-byte strings.
    package static func hash(_ secret: String) -> String {
        var secret = secret
        let digest = secret.withUTF8 { SHA256.hash(data: $0) }
        return String(unsafeUninitializedCapacity: SHA256.byteCount * 2) { buffer in
            var index = 0
            for byte in digest {
                buffer[index] = hexDigits[Int(byte >> 4)]
                buffer[index + 1] = hexDigits[Int(byte & 0x0F)]
                index += 2
            }
            return index
        }
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)
}
