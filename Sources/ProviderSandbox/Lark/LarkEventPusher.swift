import AsyncHTTPClient
import Crypto
import CryptoExtras
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Synchronization

/// Delivers events to an app's event URL the way Lark does: a v2 (or v1) envelope with the app's
/// verification token, encrypted and signed when the app has an Encrypt Key, a 3 s deadline, and
/// retries at 15 s, 5 min, 1 h and 6 h (multiplied by `retryScale`, so tests can compress them).
///
/// The crypto here is the sandbox's own (swift-crypto directly), not LarkKit's, so that the two
/// check each other.
final class LarkEventPusher: Sendable {
    typealias Delivery = CallbackDeliveries.Delivery

    let deliveries = CallbackDeliveries(retrySchedule: [15, 300, 3600, 21600], deadline: .seconds(3))

    func delivery(_ eventID: String) -> Delivery? { deliveries.delivery(eventID) }

    /// Pushes one event; returns once it is delivered, has failed for good, or the next retry is more
    /// than 60 s away (then the rest continue in the background).
    /// `schema` "1.0" sends the v1 envelope (`{ts, uuid, token, type: "event_callback", event: {type, app_id, …}}`),
    /// as Lark still does for `app_ticket`; anything else the v2 one.
    /// `faults` are the app's `duplicate_delivery` and `out_of_order` faults for this push.
    func push(
        app: LarkSandboxApp, eventType: String, event: Any, schema: String = "2.0", verifyURL: Bool, retryScale: Double, now: Date,
        tamper: Bool = false, faults: CallbackDeliveries.PushFaults = .init()
    ) async -> Delivery {
        let eventID = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        var delivery = Delivery(eventID: eventID, appID: app.appID, delivered: false, attempts: [], pendingRetries: 0)
        guard let url = app.eventURL else {
            delivery.attempts.append(.init(at: now, error: "the app has no event_url"))
            return deliveries.finish(delivery)
        }
        if verifyURL {
            let challenge = UUID().uuidString
            let plain = ["challenge": challenge, "token": app.verificationToken ?? "", "type": "url_verification"]
            let attempt = await post(url: url, plaintext: json(plain), app: app, signed: false)
            let echoed = attempt.body.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }?["challenge"] as? String
            delivery.urlVerification = attempt.succeeded && echoed == challenge ? "passed" : "failed"
            delivery.attempts.append(attempt)
            if delivery.urlVerification == "failed" { return deliveries.finish(delivery) }
        }
        let envelope: [String: Any]
        if schema == "1.0" {
            var body = event as? [String: Any] ?? [:]
            body["type"] = eventType
            body["app_id"] = body["app_id"] ?? app.appID
            envelope = [
                "ts": String(format: "%.7f", now.timeIntervalSince1970), "uuid": eventID, "token": app.verificationToken ?? "",
                "type": "event_callback", "event": body,
            ]
        } else {
            envelope = [
                "schema": "2.0",
                "header": [
                    "event_id": eventID, "event_type": eventType, "create_time": String(Int64(now.timeIntervalSince1970 * 1000)),
                    "token": app.verificationToken ?? "", "app_id": app.appID, "tenant_key": "sandbox",
                ],
                "event": event,
            ]
        }
        let plaintext = json(envelope)
        return await deliveries.deliver(delivery, retryScale: retryScale, faults: faults) {
            await self.post(url: url, plaintext: plaintext, app: app, signed: true, tamper: tamper)
        }
    }

    /// POSTs the plaintext (encrypted and, for events, signed when the app has an Encrypt Key).
    /// With `tamper`, the signature is of other bytes: receivers must refuse the request.
    private func post(url: String, plaintext: [UInt8], app: LarkSandboxApp, signed: Bool, tamper: Bool = false) async -> CallbackDeliveries.Attempt {
        var headers = [("Content-Type", "application/json; charset=utf-8")]
        var body = plaintext
        if let key = app.encryptKey, !key.isEmpty {
            body = json(["encrypt": Self.encrypt(plaintext, key: key)])
            if signed {
                let timestamp = String(Int(Date().timeIntervalSince1970))
                let nonce = UUID().uuidString.prefix(16).lowercased()
                var hash = SHA256()
                hash.update(data: Array((timestamp + nonce + key).utf8))
                hash.update(data: body)
                if tamper { hash.update(data: [0x20]) }
                let signature = hash.finalize().map { String(format: "%02x", $0) }.joined()
                headers += [("X-Lark-Request-Timestamp", timestamp), ("X-Lark-Request-Nonce", String(nonce)), ("X-Lark-Signature", signature)]
            }
        }
        return await deliveries.send(.POST, url: url, headers: headers, body: body)
    }

    /// Base64(IV ‖ AES-256-CBC(PKCS#7(plaintext))) with key = SHA-256(encrypt key).
    static func encrypt(_ plaintext: [UInt8], key: String) -> String {
        let symmetric = SymmetricKey(data: SHA256.hash(data: Array(key.utf8)))
        let iv = (0..<16).map { _ in UInt8.random(in: .min ... .max) }
        let ciphertext = try! AES._CBC.encrypt(plaintext, using: symmetric, iv: try! AES._CBC.IV(ivBytes: iv))
        return Data(iv + [UInt8](ciphertext)).base64EncodedString()
    }

    private func json(_ object: Any) -> [UInt8] {
        Array((try? JSONSerialization.data(withJSONObject: object)) ?? Data("{}".utf8))
    }
}
