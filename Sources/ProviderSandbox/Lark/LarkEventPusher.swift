import AsyncHTTPClient
import Crypto
import CryptoExtras
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import Synchronization

/// Delivers events to an app's event URL the way Lark does: a v2 envelope with the app's
/// verification token, encrypted and signed when the app has an Encrypt Key, a 3 s deadline, and
/// retries at 15 s, 5 min, 1 h and 6 h (multiplied by `retryScale`, so tests can compress them).
///
/// The crypto here is the sandbox's own (swift-crypto directly), not LarkKit's, so that the two
/// check each other.
final class LarkEventPusher: Sendable {
    static let retrySchedule: [TimeInterval] = [15, 300, 3600, 21600]
    static let deadline: TimeAmount = .seconds(3)

    /// One delivery attempt and what the receiver answered.
    struct Attempt: Sendable, Encodable {
        var at: Date
        var status: Int?
        var body: String?
        var error: String?
    }

    /// The state of one event's delivery.
    struct Delivery: Sendable, Encodable {
        var eventID: String
        var appID: String
        var delivered: Bool
        var urlVerification: String?
        var attempts: [Attempt]
        var pendingRetries: Int

        enum CodingKeys: String, CodingKey {
            case delivered, attempts
            case eventID = "event_id"
            case appID = "app_id"
            case urlVerification = "url_verification"
            case pendingRetries = "pending_retries"
        }
    }

    private let deliveries = Mutex<[String: Delivery]>([:])

    func delivery(_ eventID: String) -> Delivery? { deliveries.withLock { $0[eventID] } }

    /// Pushes one event; returns once it is delivered, has failed for good, or the next retry is more
    /// than 60 s away (then the rest continue in the background).
    func push(app: LarkSandboxApp, eventType: String, event: Any, verifyURL: Bool, retryScale: Double, now: Date) async -> Delivery {
        let eventID = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        var delivery = Delivery(eventID: eventID, appID: app.appID, delivered: false, attempts: [], pendingRetries: 0)
        guard let url = app.eventURL else {
            delivery.attempts.append(Attempt(at: now, error: "the app has no event_url"))
            return delivery
        }
        if verifyURL {
            let challenge = UUID().uuidString
            let plain = ["challenge": challenge, "token": app.verificationToken ?? "", "type": "url_verification"]
            let (status, body, error) = await post(url: url, plaintext: json(plain), app: app, signed: false)
            let echoed = body.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }?["challenge"] as? String
            delivery.urlVerification = status == 200 && echoed == challenge ? "passed" : "failed"
            delivery.attempts.append(Attempt(at: Date(), status: status, body: body, error: error))
            if delivery.urlVerification == "failed" { return record(delivery) }
        }
        let envelope: [String: Any] = [
            "schema": "2.0",
            "header": [
                "event_id": eventID, "event_type": eventType, "create_time": String(Int64(now.timeIntervalSince1970 * 1000)),
                "token": app.verificationToken ?? "", "app_id": app.appID, "tenant_key": "sandbox",
            ],
            "event": event,
        ]
        let plaintext = json(envelope)
        var waited: TimeInterval = 0
        for attempt in 0...Self.retrySchedule.count {
            if attempt > 0 {
                let delay = Self.retrySchedule[attempt - 1] * retryScale
                if waited + delay > 60 {
                    delivery.pendingRetries = Self.retrySchedule.count - attempt + 1
                    let pending = delivery
                    Task { await self.continueInBackground(pending, from: attempt, url: url, plaintext: plaintext, app: app, retryScale: retryScale) }
                    return record(delivery)
                }
                try? await Task.sleep(for: .seconds(delay))
                waited += delay
            }
            let (status, body, error) = await post(url: url, plaintext: plaintext, app: app, signed: true)
            delivery.attempts.append(Attempt(at: Date(), status: status, body: body, error: error))
            if status == 200 {
                delivery.delivered = true
                break
            }
        }
        return record(delivery)
    }

    private func continueInBackground(_ start: Delivery, from first: Int, url: String, plaintext: [UInt8], app: LarkSandboxApp, retryScale: Double) async {
        var delivery = start
        for attempt in first...Self.retrySchedule.count {
            try? await Task.sleep(for: .seconds(Self.retrySchedule[attempt - 1] * retryScale))
            let (status, body, error) = await post(url: url, plaintext: plaintext, app: app, signed: true)
            delivery.attempts.append(Attempt(at: Date(), status: status, body: body, error: error))
            delivery.pendingRetries = Self.retrySchedule.count - attempt
            if status == 200 {
                delivery.delivered = true
                delivery.pendingRetries = 0
                _ = record(delivery)
                return
            }
            _ = record(delivery)
        }
    }

    private func record(_ delivery: Delivery) -> Delivery {
        deliveries.withLock { $0[delivery.eventID] = delivery }
        return delivery
    }

    /// POSTs the plaintext (encrypted and, for events, signed when the app has an Encrypt Key).
    private func post(url: String, plaintext: [UInt8], app: LarkSandboxApp, signed: Bool) async -> (Int?, String?, String?) {
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        var body = plaintext
        if let key = app.encryptKey, !key.isEmpty {
            body = json(["encrypt": Self.encrypt(plaintext, key: key)])
            if signed {
                let timestamp = String(Int(Date().timeIntervalSince1970))
                let nonce = UUID().uuidString.prefix(16).lowercased()
                var hash = SHA256()
                hash.update(data: Array((timestamp + nonce + key).utf8))
                hash.update(data: body)
                let signature = hash.finalize().map { String(format: "%02x", $0) }.joined()
                request.headers.add(name: "X-Lark-Request-Timestamp", value: timestamp)
                request.headers.add(name: "X-Lark-Request-Nonce", value: String(nonce))
                request.headers.add(name: "X-Lark-Signature", value: signature)
            }
        }
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: Self.deadline)
            let answer = try await response.body.collect(upTo: 64 * 1024)
            return (Int(response.status.code), String(buffer: answer), nil)
        } catch {
            return (nil, nil, "no answer within 3 s: \(type(of: error))")
        }
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
