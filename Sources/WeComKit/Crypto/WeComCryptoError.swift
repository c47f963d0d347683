/// Why a WeCom callback was rejected, with the official sample library's error number.
/// Never carries the key, the token or the plaintext.
public struct WeComCryptoError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong; `sampleCode` is the number WXBizMsgCrypt samples report.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        /// The official sample's error number (-40001 …).
        public let sampleCode: Int
        private let name: String
        private init(_ sampleCode: Int, _ name: String) {
            self.sampleCode = sampleCode
            self.name = name
        }

        /// `msg_signature` does not match (-40001).
        public static let signatureMismatch = Code(-40001, "signatureMismatch")
        /// The XML or JSON envelope has no `Encrypt`/`encrypt` (-40002).
        public static let malformedEnvelope = Code(-40002, "malformedEnvelope")
        /// The EncodingAESKey is not 43 Base64 characters (-40004).
        public static let invalidAESKey = Code(-40004, "invalidAESKey")
        /// The plaintext is for another corp/suite (receive id mismatch) (-40005).
        public static let receiveIDMismatch = Code(-40005, "receiveIDMismatch")
        /// The ciphertext is not whole blocks, or the padding is invalid (-40007).
        public static let decryptionFailed = Code(-40007, "decryptionFailed")
        /// The decrypted layout is inconsistent (length field beyond the data) (-40008).
        public static let illegalBuffer = Code(-40008, "illegalBuffer")
        /// The encrypted value is not Base64 (-40010).
        public static let invalidBase64 = Code(-40010, "invalidBase64")

        public var description: String { "\(name)(\(sampleCode))" }
    }

    public let code: Code

    public init(_ code: Code) { self.code = code }

    public var description: String { "WeComCryptoError(\(code))" }
}
