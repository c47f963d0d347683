import Foundation

/// Verifies, decrypts and parses the requests Lark sends to an app's event or callback URL.
///
/// In the order the official SDKs use: decrypt (when the body is `{"encrypt": …}`); answer a
/// `url_verification` after checking its token (it is not signed); otherwise check
/// `X-Lark-Signature` when an Encrypt Key is set (and that its timestamp is within the tolerance
/// of now, so a captured request cannot be replayed later), then the verification token, compared
/// in constant time. A receiver with neither an Encrypt Key nor a Verification Token refuses to
/// exist: it would take anyone's request for Lark's.
///
/// ```swift
/// let receiver = try LarkEventReceiver(encryptKey: key, verificationToken: token)
/// switch try receiver.receive(headers: headers, body: body) {
/// case .urlVerification(let challenge): return receiver.challengeResponse(challenge)
/// case .event(let event): enqueue(event)   // dedupe on event.eventID
/// }
/// ```
public struct LarkEventReceiver: Sendable {
    private let cipher: LarkEventCipher?
    private let encryptKey: String?
    private let verificationToken: String?
    private let timestampTolerance: Duration

    /// How far a signed request's timestamp may be from now by default.
    public static let defaultTimestampTolerance: Duration = .seconds(300)

    /// - Parameters:
    ///   - encryptKey: The app's Encrypt Key, if one is set (then events are encrypted and signed).
    ///   - verificationToken: The app's Verification Token, checked when given.
    ///   - timestampTolerance: How far `X-Lark-Request-Timestamp` may be from now when signatures are on.
    /// - Throws: `noCredentials` when neither the key nor the token is given.
    public init(
        encryptKey: String?, verificationToken: String?, timestampTolerance: Duration = defaultTimestampTolerance
    ) throws(LarkCryptoError) {
        let key = encryptKey.flatMap { $0.isEmpty ? nil : $0 }
        let token = verificationToken.flatMap { $0.isEmpty ? nil : $0 }
        guard key != nil || token != nil else { throw LarkCryptoError(.noCredentials) }
        self.encryptKey = key
        self.cipher = try key.map { key throws(LarkCryptoError) in try LarkEventCipher(encryptKey: key) }
        self.verificationToken = token
        self.timestampTolerance = timestampTolerance
    }

    /// Handles one request. `headers` are looked up case-insensitively; `now` is the time the
    /// signed timestamp is checked against.
    public func receive(headers: [String: String], body: [UInt8], now: Date = Date()) throws(LarkEventError) -> LarkInbound {
        // With an Encrypt Key, a signed request is verified over its raw body before anything is
        // decrypted; an unsigned one may only be the URL check, and every way of not being one
        // (undecryptable, not JSON, another type) is the same `signatureMismatch`, so the answers
        // never tell bad padding from bad plaintext (no CBC padding oracle).
        if let encryptKey {
            guard let (timestamp, nonce, signature) = try? LarkCallbackRequest.signatureHeaders(headers) else {
                return try unsignedURLVerification(body)
            }
            do {
                try LarkSignature.verifyEvent(signature: signature, timestamp: timestamp, nonce: nonce, encryptKey: encryptKey, body: body)
            } catch {
                // Lark's URL check carries no signature the SDKs look at: accept it unsigned.
                return try unsignedURLVerification(body)
            }
            try LarkCallbackRequest.checkFresh(timestamp, now: now, tolerance: timestampTolerance)
        }
        let request = try LarkCallbackRequest(body: body, cipher: cipher)
        let object = request.object
        if request.isURLVerification {
            try LarkCallbackRequest.checkToken(object["token"] as? String, expected: verificationToken)
            return .urlVerification(challenge: object["challenge"] as? String ?? "")
        }
        if let header = object["header"] as? [String: Any] {
            try LarkCallbackRequest.checkToken(header["token"] as? String, expected: verificationToken)
            guard let eventID = header["event_id"] as? String, let eventType = header["event_type"] as? String else {
                throw LarkEventError(.malformedBody)
            }
            let payload = (try? JSONSerialization.data(withJSONObject: object["event"] ?? [String: Any]())) ?? Data("{}".utf8)
            return .event(LarkEvent(
                schema: object["schema"] as? String ?? "2.0", eventID: eventID, eventType: eventType,
                createTime: header["create_time"] as? String, appID: header["app_id"] as? String,
                tenantKey: header["tenant_key"] as? String, payload: payload))
        }
        try LarkCallbackRequest.checkToken(object["token"] as? String, expected: verificationToken)
        guard let uuid = object["uuid"] as? String, let event = object["event"] as? [String: Any], let type = event["type"] as? String else {
            throw LarkEventError(.malformedBody)
        }
        return .event(LarkEvent(
            schema: "1.0", eventID: uuid, eventType: type, createTime: nil, appID: event["app_id"] as? String,
            tenantKey: event["tenant_key"] as? String, payload: request.plaintext))
    }

    /// A request that is not validly signed although an Encrypt Key is set: only the URL check
    /// (with the right token) passes; anything else is `signatureMismatch`.
    private func unsignedURLVerification(_ body: [UInt8]) throws(LarkEventError) -> LarkInbound {
        guard let request = try? LarkCallbackRequest(body: body, cipher: cipher), request.isURLVerification else {
            throw LarkEventError(.signatureMismatch)
        }
        try LarkCallbackRequest.checkToken(request.object["token"] as? String, expected: verificationToken)
        return .urlVerification(challenge: request.object["challenge"] as? String ?? "")
    }

    /// The body that answers a URL verification: `{"challenge":"…"}`.
    public func challengeResponse(_ challenge: String) -> [UInt8] {
        LarkCallbackRequest.challengeResponse(challenge)
    }
}
