import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import Synchronization

/// Delivers callbacks the way a provider does — attempts with a deadline, retries on a schedule —
/// and keeps what happened to each, for `GET /_sandbox/<provider>/…/{id}`. The provider-specific
/// part (envelope, crypto, headers) is the `attempt` closure.
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

        enum CodingKeys: String, CodingKey {
            case delivered, attempts
            case eventID = "event_id"
            case appID = "app_id"
            case urlVerification = "url_verification"
            case pendingRetries = "pending_retries"
        }
    }

    /// Seconds between attempts (before `retryScale`).
    let retrySchedule: [TimeInterval]
    /// How long a receiver has to answer one attempt.
    let deadline: TimeAmount
    private let deliveries = Mutex<[String: Delivery]>([:])

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
