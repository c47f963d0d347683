/// Why an inbound Lark event or callback was refused. Never carries the key, the token or the body.
public struct LarkEventError: Error, Sendable, Equatable, CustomStringConvertible {
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private let name: String
        private init(_ name: String) { self.name = name }

        /// The body (or its decrypted plaintext) is not the JSON of an event.
        public static let malformedBody = Code("malformedBody")
        /// The body is encrypted but no Encrypt Key is configured.
        public static let encryptKeyMissing = Code("encryptKeyMissing")
        /// The `encrypt` value does not decrypt.
        public static let decryptionFailed = Code("decryptionFailed")
        /// `X-Lark-Signature` is missing or wrong.
        public static let signatureMismatch = Code("signatureMismatch")
        /// The verification token in the event does not match.
        public static let tokenMismatch = Code("tokenMismatch")
        /// `X-Lark-Request-Timestamp` is further from now than the receiver's tolerance (a replay).
        public static let staleTimestamp = Code("staleTimestamp")

        public var description: String { name }
    }

    public let code: Code

    public init(_ code: Code) { self.code = code }

    public var description: String { "LarkEventError(\(code))" }
}
