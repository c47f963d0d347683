/// Why a Lark event, callback or signature was rejected. Never carries the key or the plaintext.
public struct LarkCryptoError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What was wrong.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        private enum Base: String, Sendable {
            case invalidBase64, invalidCiphertextLength, invalidPadding, signatureMismatch, emptyKey, noCredentials
        }
        private let base: Base
        private init(_ base: Base) { self.base = base }

        /// The `encrypt` value is not Base64.
        public static let invalidBase64 = Code(.invalidBase64)
        /// The ciphertext is shorter than IV plus one block, or not whole blocks.
        public static let invalidCiphertextLength = Code(.invalidCiphertextLength)
        /// The PKCS#7 padding does not check out (wrong key, or tampered ciphertext).
        public static let invalidPadding = Code(.invalidPadding)
        /// The signature header does not match the request.
        public static let signatureMismatch = Code(.signatureMismatch)
        /// The Encrypt Key is empty.
        public static let emptyKey = Code(.emptyKey)
        /// A receiver was given neither an Encrypt Key nor a Verification Token: it would accept
        /// any request as Lark's.
        public static let noCredentials = Code(.noCredentials)

        public var description: String { base.rawValue }
    }

    public let code: Code

    public init(_ code: Code) { self.code = code }

    public var description: String { "LarkCryptoError(\(code))" }
}
