import Crypto
import ProviderKitSupport

/// The signatures of Lark callbacks.
///
/// - Events and `card.action.trigger` (with an Encrypt Key): `X-Lark-Signature` =
///   hex(SHA-256(timestamp + nonce + encryptKey + raw body)). Not an HMAC.
/// - Legacy card callbacks: hex(SHA-1(timestamp + nonce + verificationToken + raw body)).
public enum LarkSignature {
    /// `X-Lark-Signature` of an event request.
    public static func event(timestamp: String, nonce: String, encryptKey: String, body: [UInt8]) -> String {
        var hash = SHA256()
        hash.update(data: Array((timestamp + nonce + encryptKey).utf8))
        hash.update(data: body)
        return hash.finalize().withUnsafeBytes { Bytes.hex($0) }
    }

    /// `X-Lark-Signature` of a legacy card callback.
    public static func legacyCard(
        timestamp: String, nonce: String, verificationToken: String, body: [UInt8]
    ) -> String {
        var hash = Insecure.SHA1()
        hash.update(data: Array((timestamp + nonce + verificationToken).utf8))
        hash.update(data: body)
        return hash.finalize().withUnsafeBytes { Bytes.hex($0) }
    }

    /// Checks an event signature in constant time.
    /// - Throws: ``LarkCryptoError/Code/signatureMismatch``.
    public static func verifyEvent(
        signature: String, timestamp: String, nonce: String, encryptKey: String, body: [UInt8]
    ) throws(LarkCryptoError) {
        let expected = event(timestamp: timestamp, nonce: nonce, encryptKey: encryptKey, body: body)
        guard Bytes.constantTimeEqual(expected, signature.lowercased()) else {
            throw LarkCryptoError(.signatureMismatch)
        }
    }

    /// Checks a legacy card signature in constant time.
    /// - Throws: ``LarkCryptoError/Code/signatureMismatch``.
    public static func verifyLegacyCard(
        signature: String, timestamp: String, nonce: String, verificationToken: String, body: [UInt8]
    ) throws(LarkCryptoError) {
        let expected = legacyCard(timestamp: timestamp, nonce: nonce, verificationToken: verificationToken, body: body)
        guard Bytes.constantTimeEqual(expected, signature.lowercased()) else {
            throw LarkCryptoError(.signatureMismatch)
        }
    }

    /// The `sign` of a custom group bot webhook: Base64(HMAC-SHA256(key: "timestamp\nsecret", message: empty)),
    /// with the timestamp in seconds. (The reverse of DingTalk's key and message.)
    public static func customBot(timestamp: Int, secret: String) -> String {
        let key = SymmetricKey(data: Array("\(timestamp)\n\(secret)".utf8))
        let mac = HMAC<SHA256>.authenticationCode(for: [UInt8](), using: key)
        return Base64.encode(mac.withUnsafeBytes { Array($0) })
    }
}
