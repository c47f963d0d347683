import Crypto
import CryptoExtras
import Foundation
import ProviderKitSupport

/// WeCom's callback crypto (WXBizMsgCrypt): URL verification, decrypting XML and JSON callbacks,
/// and encrypting passive replies.
///
/// AES key = Base64(EncodingAESKey + "="); AES-256-CBC with IV = key[0..<16]; PKCS#7 to 32-byte
/// blocks; plaintext = random(16) ‖ length (4 bytes, big-endian) ‖ message ‖ receive id.
/// `msg_signature` = hex(SHA-1(sorted [token, timestamp, nonce, encrypt] concatenated)).
/// Padding and the receive id are checked strictly.
public struct WeComMessageCrypto: Sendable {
    private let token: String
    private let key: SymmetricKey
    private let iv: [UInt8]
    private let receiveID: [UInt8]

    /// - Parameters:
    ///   - token: The callback Token.
    ///   - encodingAESKey: The 43-character EncodingAESKey.
    ///   - receiveID: The CorpID for internal apps (the suite id for suite callbacks).
    /// - Throws: ``WeComCryptoError/Code/invalidAESKey``.
    public init(token: String, encodingAESKey: String, receiveID: String) throws(WeComCryptoError) {
        guard encodingAESKey.utf8.count == 43, let key = Base64.decode(encodingAESKey + "="), key.count == 32 else {
            throw WeComCryptoError(.invalidAESKey)
        }
        self.token = token
        self.key = SymmetricKey(data: key)
        self.iv = Array(key[0..<16])
        self.receiveID = Array(receiveID.utf8)
    }

    /// `msg_signature` over an encrypted value.
    public func signature(timestamp: String, nonce: String, encrypted: String) -> String {
        let joined = [token, timestamp, nonce, encrypted].sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }).joined()
        return Insecure.SHA1.hash(data: Array(joined.utf8)).withUnsafeBytes { Bytes.hex($0) }
    }

    /// GET URL verification: checks the signature over `echostr` (already URL-decoded) and returns
    /// the plaintext to answer with.
    public func verifyURL(msgSignature: String, timestamp: String, nonce: String, echostr: String) throws(WeComCryptoError) -> String {
        String(decoding: try decrypt(encrypted: echostr, msgSignature: msgSignature, timestamp: timestamp, nonce: nonce), as: UTF8.self)
    }

    /// Checks the signature over `encrypted` and decrypts it to the message bytes.
    public func decrypt(encrypted: String, msgSignature: String, timestamp: String, nonce: String) throws(WeComCryptoError) -> [UInt8] {
        let expected = signature(timestamp: timestamp, nonce: nonce, encrypted: encrypted)
        guard Bytes.constantTimeEqual(expected, msgSignature.lowercased()) else {
            throw WeComCryptoError(.signatureMismatch)
        }
        return try decryptUnsigned(encrypted)
    }

    /// Decrypts an XML callback body (`<xml>…<Encrypt><![CDATA[…]]></Encrypt>…</xml>`).
    public func decryptXML(_ body: String, msgSignature: String, timestamp: String, nonce: String) throws(WeComCryptoError) -> String {
        guard let encrypted = WeComEnvelope.xmlElement("Encrypt", in: body) else { throw WeComCryptoError(.malformedEnvelope) }
        return String(decoding: try decrypt(encrypted: encrypted, msgSignature: msgSignature, timestamp: timestamp, nonce: nonce), as: UTF8.self)
    }

    /// Decrypts a JSON callback body (`{"tousername":…,"encrypt":…,"agentid":…}`).
    public func decryptJSON(_ body: [UInt8], msgSignature: String, timestamp: String, nonce: String) throws(WeComCryptoError) -> [UInt8] {
        guard let encrypted = WeComEnvelope.jsonEncrypt(in: body) else { throw WeComCryptoError(.malformedEnvelope) }
        return try decrypt(encrypted: encrypted, msgSignature: msgSignature, timestamp: timestamp, nonce: nonce)
    }

    /// Encrypts `message` for this receive id; `random` (16 bytes) is drawn if not given (tests pin it).
    public func encrypt(_ message: [UInt8], random: [UInt8]? = nil) -> String {
        let prefix = random ?? Bytes.random(16)
        precondition(prefix.count == 16, "the random prefix is 16 bytes")
        let plain = prefix + Bytes.bigEndian(UInt32(message.count)) + message + receiveID
        let padded = PKCS7.pad(plain, blockSize: 32)
        // A 16-byte IV and whole blocks cannot fail.
        let ciphertext = try! AES._CBC.encrypt(padded, using: key, iv: try! AES._CBC.IV(ivBytes: iv), noPadding: true)
        return Base64.encode([UInt8](ciphertext))
    }

    /// The encrypted passive-reply XML (`Encrypt`, `MsgSignature`, `TimeStamp`, `Nonce`).
    public func passiveReplyXML(_ message: String, timestamp: String, nonce: String, random: [UInt8]? = nil) -> String {
        let encrypted = encrypt(Array(message.utf8), random: random)
        let signature = signature(timestamp: timestamp, nonce: nonce, encrypted: encrypted)
        return "<xml>\n<Encrypt><![CDATA[\(encrypted)]]></Encrypt>\n<MsgSignature><![CDATA[\(signature)]]></MsgSignature>\n"
            + "<TimeStamp>\(timestamp)</TimeStamp>\n<Nonce><![CDATA[\(nonce)]]></Nonce>\n</xml>"
    }

    /// The encrypted JSON reply (`encrypt`, `msgsignature`, `timestamp`, `nonce`).
    public func replyJSON(_ message: [UInt8], timestamp: String, nonce: String, random: [UInt8]? = nil) -> String {
        let encrypted = encrypt(message, random: random)
        let signature = signature(timestamp: timestamp, nonce: nonce, encrypted: encrypted)
        return #"{"encrypt":"\#(encrypted)","msgsignature":"\#(signature)","timestamp":"\#(timestamp)","nonce":"\#(nonce)"}"#
    }

    private func decryptUnsigned(_ encrypted: String) throws(WeComCryptoError) -> [UInt8] {
        guard let bytes = Base64.decode(encrypted) else { throw WeComCryptoError(.invalidBase64) }
        guard !bytes.isEmpty, bytes.count % 32 == 0 else { throw WeComCryptoError(.decryptionFailed) }
        let padded: [UInt8]
        do {
            padded = [UInt8](try AES._CBC.decrypt(Data(bytes), using: key, iv: try AES._CBC.IV(ivBytes: iv), noPadding: true))
        } catch {
            throw WeComCryptoError(.decryptionFailed)
        }
        guard let plain = PKCS7.unpad(padded, blockSize: 32) else { throw WeComCryptoError(.decryptionFailed) }
        guard plain.count >= 20 else { throw WeComCryptoError(.illegalBuffer) }
        let length = plain[16..<20].reduce(0) { $0 << 8 | Int($1) }
        guard length <= plain.count - 20 else { throw WeComCryptoError(.illegalBuffer) }
        let messageEnd = 20 + length
        guard Bytes.constantTimeEqual(plain[messageEnd...], receiveID[...]) else { throw WeComCryptoError(.receiveIDMismatch) }
        return Array(plain[20..<messageEnd])
    }
}
