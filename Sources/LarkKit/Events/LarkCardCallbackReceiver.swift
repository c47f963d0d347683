import Foundation

/// Verifies, decrypts and parses legacy card callbacks (`card.action.trigger_v1`), the requests
/// Lark sends to an app's "card request URL".
///
/// In the order oapi-sdk-go's `CardActionHandler` uses: decrypt (when the body is
/// `{"encrypt": …}`); answer a `url_verification` after checking its token (it is not signed);
/// otherwise check `X-Lark-Signature` = hex(SHA-1(timestamp + nonce + Verification Token + raw
/// body)) in constant time, and that the timestamp is within the tolerance of now. The body's
/// own `token` is the card update token, not the verification token, so it is not compared.
/// The signature needs the Verification Token, so a receiver without one refuses to exist.
///
/// New apps get `card.action.trigger` through the event URL instead (``LarkEventReceiver``).
///
/// ```swift
/// let receiver = try LarkCardCallbackReceiver(encryptKey: key, verificationToken: token)
/// switch try receiver.receive(headers: headers, body: body) {
/// case .urlVerification(let challenge): return receiver.challengeResponse(challenge)
/// case .action(let action): return answer(action).legacyBody
/// }
/// ```
public struct LarkCardCallbackReceiver: Sendable {
    /// What a legacy card callback request turned out to be.
    public enum Inbound: Sendable, Equatable {
        /// The URL check when the card request URL is saved: answer ``LarkCardCallbackReceiver/challengeResponse(_:)``.
        case urlVerification(challenge: String)
        /// A verified card action.
        case action(LarkLegacyCardAction)
    }

    private let cipher: LarkEventCipher?
    private let verificationToken: String
    private let timestampTolerance: Duration

    /// - Parameters:
    ///   - encryptKey: The app's Encrypt Key, if one is set (then callbacks are encrypted).
    ///   - verificationToken: The app's Verification Token: it signs every callback.
    ///   - timestampTolerance: How far `X-Lark-Request-Timestamp` may be from now.
    /// - Throws: `noCredentials` for an empty Verification Token.
    public init(
        encryptKey: String?, verificationToken: String,
        timestampTolerance: Duration = LarkEventReceiver.defaultTimestampTolerance
    ) throws(LarkCryptoError) {
        guard !verificationToken.isEmpty else { throw LarkCryptoError(.noCredentials) }
        let key = encryptKey.flatMap { $0.isEmpty ? nil : $0 }
        self.cipher = try key.map { key throws(LarkCryptoError) in try LarkEventCipher(encryptKey: key) }
        self.verificationToken = verificationToken
        self.timestampTolerance = timestampTolerance
    }

    /// Handles one request. `headers` are looked up case-insensitively; `now` is the time the
    /// signed timestamp (Unix seconds, as on events) is checked against.
    public func receive(headers: [String: String], body: [UInt8], now: Date = Date()) throws(LarkEventError) -> Inbound {
        // The signature (over the raw body) is checked before anything is decrypted; an unsigned
        // request may only be the URL check, and every other unsigned one is `signatureMismatch`,
        // whatever made it fail (no CBC padding oracle).
        guard let (timestamp, nonce, signature) = try? LarkCallbackRequest.signatureHeaders(headers),
            (try? LarkSignature.verifyLegacyCard(
                signature: signature, timestamp: timestamp, nonce: nonce, verificationToken: verificationToken, body: body)) != nil
        else {
            guard let request = try? LarkCallbackRequest(body: body, cipher: cipher), request.isURLVerification else {
                throw LarkEventError(.signatureMismatch)
            }
            try LarkCallbackRequest.checkToken(request.object["token"] as? String, expected: verificationToken)
            return .urlVerification(challenge: request.object["challenge"] as? String ?? "")
        }
        try LarkCallbackRequest.checkFresh(timestamp, now: now, tolerance: timestampTolerance)
        let request = try LarkCallbackRequest(body: body, cipher: cipher)
        guard request.object["action"] is [String: Any],
            let action = try? JSONDecoder().decode(LarkLegacyCardAction.self, from: request.plaintext)
        else { throw LarkEventError(.malformedBody) }
        return .action(action)
    }

    /// The body that answers a URL verification: `{"challenge":"…"}`.
    public func challengeResponse(_ challenge: String) -> [UInt8] {
        LarkCallbackRequest.challengeResponse(challenge)
    }
}
