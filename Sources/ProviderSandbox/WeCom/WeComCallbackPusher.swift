import Crypto
import CryptoExtras
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// Delivers callbacks to a WeCom app's `callback_url` the way WeCom does: URL verification by GET
/// with an encrypted `echostr` when asked, then a POST of `<xml><ToUserName/><AgentID/><Encrypt/></xml>`
/// with `msg_signature`, `timestamp` and `nonce` in the query; 5 s to answer, only HTTP 200
/// counts, 3 retries.
///
/// The retry spacing is not documented (UNCERTAIN): the sandbox waits 5 s, 10 s, then 15 s,
/// multiplied by `retryScale`. The crypto here is the sandbox's own (swift-crypto directly), not
/// WeComKit's, so that the two check each other.
final class WeComCallbackPusher: Sendable {
    typealias Delivery = CallbackDeliveries.Delivery

    let deliveries = CallbackDeliveries(retrySchedule: [5, 10, 15], deadline: .seconds(5))
    private let counter = Counter()

    func delivery(_ id: String) -> Delivery? { deliveries.delivery(id) }

    /// Pushes one message or event. `message` is the plaintext XML, or an object of fields that
    /// becomes one (`ToUserName`, `AgentID`, `CreateTime` and, for messages, `MsgId` are filled in
    /// when absent). `faults` are the corp's `duplicate_delivery` and `out_of_order` faults for this push.
    func push(
        app: WeComSandboxApp, message: Any, verifyURL: Bool, retryScale: Double, now: Date, faults: CallbackDeliveries.PushFaults = .init()
    ) async -> Delivery {
        let number = counter.next()
        var fields = message as? [String: Any] ?? [:]
        if fields["MsgType"] as? String != "event", fields["MsgId"] == nil { fields["MsgId"] = String(7_000_000_000_000_000_000 + number) }
        let id = fields["MsgId"].map { "\($0)" } ?? "event-\(number)"
        var delivery = Delivery(eventID: id, appID: "\(app.corpID)/\(app.agentID)", delivered: false, attempts: [], pendingRetries: 0)
        guard let url = app.callbackURL, let token = app.token, let aesKey = app.encodingAESKey,
            let key = Data(base64Encoded: aesKey + "="), key.count == 32
        else {
            delivery.attempts.append(.init(at: now, error: "the app needs callback_url, token and a 43-character encoding_aes_key"))
            return deliveries.finish(delivery)
        }
        let cipher = Cipher(token: token, key: Array(key), receiveID: app.corpID)
        if verifyURL {
            let echo = String(number) + UUID().uuidString.prefix(12)
            let (query, encrypted) = cipher.signedQuery(Array(echo.utf8), now: now)
            let escaped = encrypted.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? encrypted
            let attempt = await deliveries.send(.GET, url: url + separator(url) + query + "&echostr=" + escaped, headers: [], body: nil)
            delivery.urlVerification = attempt.succeeded && attempt.body == echo ? "passed" : "failed"
            delivery.attempts.append(attempt)
            if delivery.urlVerification == "failed" { return deliveries.finish(delivery) }
        }
        let plaintext: String
        if let xml = message as? String {
            plaintext = xml
        } else {
            fields["ToUserName"] = fields["ToUserName"] ?? app.corpID
            fields["AgentID"] = fields["AgentID"] ?? app.agentID
            fields["CreateTime"] = fields["CreateTime"] ?? Int(now.timeIntervalSince1970)
            plaintext = Self.xml(fields)
        }
        return await deliveries.deliver(delivery, retryScale: retryScale, faults: faults) {
            let (query, encrypted) = cipher.signedQuery(Array(plaintext.utf8), now: Date())
            let body = "<xml><ToUserName><![CDATA[\(app.corpID)]]></ToUserName><AgentID><![CDATA[\(app.agentID)]]></AgentID>"
                + "<Encrypt><![CDATA[\(encrypted)]]></Encrypt></xml>"
            return await self.deliveries.send(
                .POST, url: url + self.separator(url) + query, headers: [("Content-Type", "text/xml; charset=utf-8")],
                body: Array(body.utf8))
        }
    }

    private func separator(_ url: String) -> String { url.contains("?") ? "&" : "?" }

    /// `<xml><Key><![CDATA[value]]></Key>…</xml>`, keys sorted; numbers unquoted, as WeCom writes them.
    static func xml(_ fields: [String: Any]) -> String {
        var xml = "<xml>"
        for (key, value) in fields.sorted(by: { $0.key < $1.key }) {
            if let number = value as? Int {
                xml += "<\(key)>\(number)</\(key)>"
            } else {
                let text = "\(value)".replacingOccurrences(of: "]]>", with: "]]]]><![CDATA[>")
                xml += "<\(key)><![CDATA[\(text)]]></\(key)>"
            }
        }
        return xml + "</xml>"
    }

    /// WXBizMsgCrypt, as the sandbox's own code.
    struct Cipher: Sendable {
        var token: String
        var key: [UInt8]
        var receiveID: String

        /// `msg_signature=…&timestamp=…&nonce=…` and the encrypted value they sign.
        func signedQuery(_ message: [UInt8], now: Date) -> (query: String, encrypted: String) {
            let encrypted = encrypt(message)
            let timestamp = String(Int(now.timeIntervalSince1970))
            let nonce = String(UInt32.random(in: 100_000_000...UInt32.max))
            let joined = [token, timestamp, nonce, encrypted].sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.joined()
            let signature = Insecure.SHA1.hash(data: Array(joined.utf8)).map { String(format: "%02x", $0) }.joined()
            return ("msg_signature=\(signature)&timestamp=\(timestamp)&nonce=\(nonce)", encrypted)
        }

        /// Base64(AES-256-CBC(random(16) ‖ length ‖ message ‖ receive id, PKCS#7 to 32 bytes)), IV = key[0..<16].
        func encrypt(_ message: [UInt8]) -> String {
            let random = (0..<16).map { _ in UInt8.random(in: 0x30...0x39) }
            let length = UInt32(message.count)
            var plain = random + [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)]
            plain += message + Array(receiveID.utf8)
            let pad = 32 - plain.count % 32
            plain += [UInt8](repeating: UInt8(pad), count: pad)
            let iv = try! AES._CBC.IV(ivBytes: key[0..<16])
            let ciphertext = try! AES._CBC.encrypt(plain, using: SymmetricKey(data: key), iv: iv, noPadding: true)
            return Data(ciphertext).base64EncodedString()
        }
    }
}

/// Numbers for message ids.
private final class Counter: Sendable {
    private let value = Mutex<UInt64>(0)
    func next() -> UInt64 { value.withLock { $0 += 1; return $0 } }
}
