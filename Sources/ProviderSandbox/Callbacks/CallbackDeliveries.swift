import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// Delivers callbacks the way a provider does — attempts with a deadline, retries on a schedule —
/// and keeps what happened to each, for `GET /_sandbox/<provider>/…/{id}`. The provider-specific
/// part (envelope, crypto, headers) is the `attempt` closure.
///
/// Two faults reproduce what at-least-once delivery does to a receiver: a push that meets
/// `duplicate_delivery` is delivered once more after it succeeded (the same event, as a provider's
/// redelivery is), and one that meets `out_of_order` is held back and delivered right after the
/// app's next push, so the receiver sees the later event first.
final class CallbackDeliveries: Sendable {
    /// One delivery attempt and what the receiver answered.
    struct Attempt: Sendable, Encodable {
        var at: Date
        var status: Int?
        var body: String?
        var error: String?

        /// Only HTTP 200 counts as delivered, for both providers.
        var succeeded: Bool { status == 200 }
    }

    /// The state of one callback's delivery.
    struct Delivery: Sendable, Encodable {
        var eventID: String
        var appID: String
        var delivered: Bool
        var urlVerification: String?
        var attempts: [Attempt]
        var pendingRetries: Int
        /// Held back by `out_of_order` until the app's next push; false once sent.
        var held: Bool?
        /// Delivered a second time by `duplicate_delivery` (the last attempt is the duplicate).
        var duplicated: Bool?

        enum CodingKeys: String, CodingKey {
            case delivered, attempts, held, duplicated
            case eventID = "event_id"
            case appID = "app_id"
            case urlVerification = "url_verification"
            case pendingRetries = "pending_retries"
        }
    }

    /// What one push meets from the delivery faults.
    struct PushFaults: Sendable {
        /// Deliver it again after it succeeded.
        var duplicate = false
        /// Hold it back until the app's next push has been delivered.
        var hold = false
    }

    /// A push held back by `out_of_order`, to go after the app's next one.
    private struct HeldPush: Sendable {
        var delivery: Delivery
        var retryScale: Double
        var attempt: @Sendable () async -> Attempt
    }

    /// Seconds between attempts (before `retryScale`).
    let retrySchedule: [TimeInterval]
    /// How long a receiver has to answer one attempt.
    let deadline: TimeAmount
    private let deliveries = Mutex<[String: Delivery]>([:])
    private let held = Mutex<[String: HeldPush]>([:])

    init(retrySchedule: [TimeInterval], deadline: TimeAmount) {
        self.retrySchedule = retrySchedule
        self.deadline = deadline
    }

    func delivery(_ id: String) -> Delivery? { deliveries.withLock { $0[id] } }

    /// Records a delivery that ends before any attempt (no URL, failed URL verification …).
    func finish(_ delivery: Delivery) -> Delivery {
        deliveries.withLock { $0[delivery.eventID] = delivery }
        return delivery
    }

    /// Delivers `start` under the push `faults`: held back (answered at once with `held: true`), or
    /// delivered (and again when `duplicate`) and then followed by the app's held push, if any.
    func deliver(
        _ start: Delivery, retryScale: Double, faults: PushFaults, attempt: @escaping @Sendable () async -> Attempt
    ) async -> Delivery {
        if faults.hold {
            var waiting = start
            waiting.held = true
            let push = HeldPush(delivery: waiting, retryScale: retryScale, attempt: attempt)
            // A push already held for this app goes now rather than wait behind this one.
            if let overtaken = held.withLock({ $0.updateValue(push, forKey: start.appID) }) { await release(overtaken) }
            return finish(waiting)
        }
        var delivery = await deliver(start, retryScale: retryScale, attempt: attempt)
        if faults.duplicate, delivery.delivered {
            delivery.attempts.append(await attempt())
            delivery.duplicated = true
            delivery = finish(delivery)
        }
        if let late = held.withLock({ $0.removeValue(forKey: start.appID) }) { await release(late) }
        return delivery
    }

    /// Sends a held push now.
    private func release(_ push: HeldPush) async {
        var delivery = push.delivery
        delivery.held = false
        _ = await deliver(delivery, retryScale: push.retryScale, attempt: push.attempt)
    }

    /// Attempts `start` until one succeeds or the schedule is spent. Returns once delivered, failed
    /// for good, or when the next retry is more than 60 s away (the rest go on in the background).
    func deliver(_ start: Delivery, retryScale: Double, attempt: @escaping @Sendable () async -> Attempt) async -> Delivery {
        var delivery = start
        var waited: TimeInterval = 0
        for number in 0...retrySchedule.count {
            if number > 0 {
                let delay = retrySchedule[number - 1] * retryScale
                if waited + delay > 60 {
                    delivery.pendingRetries = retrySchedule.count - number + 1
                    let pending = delivery
                    Task { await self.continueInBackground(pending, from: number, retryScale: retryScale, attempt: attempt) }
                    return finish(delivery)
                }
                try? await Task.sleep(for: .seconds(delay))
                waited += delay
            }
            let result = await attempt()
            delivery.attempts.append(result)
            if result.succeeded {
                delivery.delivered = true
                break
            }
        }
        return finish(delivery)
    }

    private func continueInBackground(_ start: Delivery, from first: Int, retryScale: Double, attempt: @Sendable () async -> Attempt) async {
        var delivery = start
        for number in first...retrySchedule.count {
            try? await Task.sleep(for: .seconds(retrySchedule[number - 1] * retryScale))
            let result = await attempt()
            delivery.attempts.append(result)
            delivery.pendingRetries = result.succeeded ? 0 : retrySchedule.count - number
            delivery.delivered = result.succeeded
            _ = finish(delivery)
            if result.succeeded { return }
        }
    }

    /// One HTTP exchange with the receiver, within the deadline.
    func send(_ method: HTTPMethod, url: String, headers: [(String, String)], body: [UInt8]?) async -> Attempt {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await HTTPClient.shared.execute(request, timeout: deadline)
            let answer = try await response.body.collect(upTo: 64 * 1024)
            return Attempt(at: Date(), status: Int(response.status.code), body: String(buffer: answer))
        } catch {
            return Attempt(at: Date(), error: "no answer within the deadline: \(type(of: error))")
        }
    }
}
