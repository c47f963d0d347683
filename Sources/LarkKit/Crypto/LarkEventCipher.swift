import Crypto
import CryptoExtras
import Foundation
import ProviderKitSupport

/// The AES-256-CBC of Lark events and card callbacks sent with an Encrypt Key.
///
/// Key = SHA-256 of the Encrypt Key; `encrypt` = Base64(IV ‖ AES-CBC(PKCS#7₁₆(plaintext))).
///
/// ```swift
/// let cipher = try LarkEventCipher(encryptKey: "test key")
/// let json = try cipher.decrypt("P37w+VZImNgPEO1RBhJ6RtKl7n6zymIbEG1pReEzghk=")  // "hello world"
/// ```
public struct LarkEventCipher: Sendable {
    private let key: SymmetricKey

    /// - Throws: ``LarkCryptoError/Code/emptyKey`` for an empty Encrypt Key.
    public init(encryptKey: String) throws(LarkCryptoError) {
        guard !encryptKey.isEmpty else { throw LarkCryptoError(.emptyKey) }
        self.key = SymmetricKey(data: SHA256.hash(data: Array(encryptKey.utf8)))
    }

    /// Decrypts an `encrypt` value to its plaintext bytes; every malformed input is a typed error.
    public func decryptBytes(_ encrypted: String) throws(LarkCryptoError) -> [UInt8] {
        guard let bytes = Base64.decode(encrypted) else { throw LarkCryptoError(.invalidBase64) }
        guard bytes.count >= 32, bytes.count % 16 == 0 else { throw LarkCryptoError(.invalidCiphertextLength) }
        let padded: [UInt8]
        do {
            let iv = try AES._CBC.IV(ivBytes: bytes[0..<16])
            padded = [UInt8](try AES._CBC.decrypt(Data(bytes[16...]), using: key, iv: iv, noPadding: true))
        } catch {
            throw LarkCryptoError(.invalidCiphertextLength)
        }
        guard let plaintext = PKCS7.unpad(padded, blockSize: 16) else { throw LarkCryptoError(.invalidPadding) }
        return plaintext
    }

    /// Decrypts an `encrypt` value to text (invalid UTF-8 is repaired, never trapped on).
    public func decrypt(_ encrypted: String) throws(LarkCryptoError) -> String {
        String(decoding: try decryptBytes(encrypted), as: UTF8.self)
    }

    /// Encrypts `plaintext` the way Lark does, with a random IV unless one is given (for tests).
    public func encrypt(_ plaintext: [UInt8], iv: [UInt8]? = nil) -> String {
        let ivBytes = iv ?? Bytes.random(16)
        precondition(ivBytes.count == 16, "an AES-CBC IV is 16 bytes")
        let padded = PKCS7.pad(plaintext, blockSize: 16)
        // A 16-byte IV and whole blocks cannot fail.
        let ciphertext = try! AES._CBC.encrypt(padded, using: key, iv: try! AES._CBC.IV(ivBytes: ivBytes), noPadding: true)
        return Base64.encode(ivBytes + [UInt8](ciphertext))
    }

    /// Encrypts UTF-8 text.
    public func encrypt(_ plaintext: String, iv: [UInt8]? = nil) -> String {
        encrypt(Array(plaintext.utf8), iv: iv)
    }
}
