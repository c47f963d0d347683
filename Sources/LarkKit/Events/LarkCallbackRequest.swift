import Foundation
import ProviderKitSupport

/// The steps every Lark callback request shares, events and card callbacks alike: decrypting an
/// `{"encrypt": …}` body, reading the signature headers, checking their timestamp and a token.
struct LarkCallbackRequest {
    /// The request's plaintext (decrypted when the body was `{"encrypt": …}`).
    let plaintext: Data
    /// The plaintext as a JSON object.
    let object: [String: Any]

    /// - Throws: `malformedBody` when the body or its plaintext is not a JSON object,
    ///   `encryptKeyMissing` for an encrypted body without a `cipher`, `decryptionFailed`.
    init(body: [UInt8], cipher: LarkEventCipher?) throws(LarkEventError) {
        guard let outer = (try? JSONSerialization.jsonObject(with: Data(body))) as? [String: Any] else {
            throw LarkEventError(.malformedBody)
        }
        var plaintext = Data(body)
        if let encrypted = outer["encrypt"] as? String {
            guard let cipher else { throw LarkEventError(.encryptKeyMissing) }
            do { plaintext = Data(try cipher.decryptBytes(encrypted)) } catch { throw LarkEventError(.decryptionFailed) }
        }
        guard let object = (try? JSONSerialization.jsonObject(with: plaintext)) as? [String: Any] else {
            throw LarkEventError(.malformedBody)
        }
        self.plaintext = plaintext
        self.object = object
    }

    /// Whether this is the unsigned URL check sent when the request URL is saved.
    var isURLVerification: Bool { object["type"] as? String == "url_verification" }

    /// `X-Lark-Request-Timestamp`, `X-Lark-Request-Nonce` and `X-Lark-Signature`, looked up
    /// case-insensitively.
    /// - Throws: `signatureMismatch` when one is missing.
    static func signatureHeaders(_ headers: [String: String]) throws(LarkEventError) -> (timestamp: String, nonce: String, signature: String) {
        let lowered = Dictionary(headers.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
        guard let signature = lowered["x-lark-signature"], let timestamp = lowered["x-lark-request-timestamp"],
            let nonce = lowered["x-lark-request-nonce"]
        else { throw LarkEventError(.signatureMismatch) }
        return (timestamp, nonce, signature)
    }

    /// Refuses a signed timestamp further than `tolerance` from `now`: a replay. The timestamp is
    /// Unix seconds (digits only), or the date form Lark's card callback samples show
    /// (`Monday, 09-Nov-20 23:33:53 CST`, CST being China Standard Time, +08:00).
    static func checkFresh(_ timestamp: String, now: Date, tolerance: Duration) throws(LarkEventError) {
        guard let date = Self.date(ofTimestamp: timestamp),
            abs(date.timeIntervalSince(now)) <= Double(tolerance.components.seconds)
        else { throw LarkEventError(.staleTimestamp) }
    }

    /// The time a `X-Lark-Request-Timestamp` names, or nil when it is neither form.
    static func date(ofTimestamp timestamp: String) -> Date? {
        if !timestamp.isEmpty, timestamp.utf8.count <= 12, timestamp.utf8.allSatisfy({ (0x30...0x39).contains($0) }),
            let seconds = Int64(timestamp)
        {
            return Date(timeIntervalSince1970: TimeInterval(seconds))
        }
        guard timestamp.hasSuffix(" CST") else { return nil }
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 8 * 3600)
        formatter.dateFormat = "EEEE, dd-MMM-yy HH:mm:ss"
        return formatter.date(from: String(timestamp.dropLast(4)))
    }

    /// Compares `token` with `expected` in constant time; nothing to check without an `expected`.
    static func checkToken(_ token: String?, expected: String?) throws(LarkEventError) {
        guard let expected else { return }
        guard let token, Bytes.constantTimeEqual(Array(token.utf8)[...], Array(expected.utf8)[...]) else {
            throw LarkEventError(.tokenMismatch)
        }
    }

    /// `{"challenge":"…"}`, the answer to a URL check.
    static func challengeResponse(_ challenge: String) -> [UInt8] {
        Array(((try? JSONSerialization.data(withJSONObject: ["challenge": challenge])) ?? Data("{}".utf8)))
    }
}
