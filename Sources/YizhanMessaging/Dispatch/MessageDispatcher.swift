import AsyncHTTPClient
import Foundation
import Logging
import YizhanCore
import YizhanCredentials
import YizhanJobs
import YizhanStorage

/// Sends a message's pending recipients through its app and records what became of each, with
/// the provider's own dedupe key so that a retry after a crash, a timeout or a lost answer never
/// reaches a person twice: Lark's `uuid` (one per message and recipient, kept an hour by Lark),
/// WeCom's duplicate check (the same request within 4 hours is dropped). Robots and bots have no
/// dedupe key: an answer lost after the request went out ends `unknown` rather than risk a copy.
package struct MessageDispatcher: Sendable {
    let database: any Database
    let clock: any TimeSource
    let credentials: Credentials
    let httpClient: HTTPClient
    let logger: Logger
    let store = MessageStore()

    /// How long after a message's first send its dedupe key still protects a retry: Lark keeps a
    /// `uuid` an hour (5 minutes are kept back for clocks), WeCom's duplicate check is set to 4 hours.
    static let larkDedupeWindow: TimeInterval = 55 * 60
    static let wecomDuplicateCheck = 4 * 3600
    /// The reason kept on a recipient whose send may have gone out, until it is settled.
    static let maybeDelivered = "maybe delivered: the provider's answer was lost; retried with the same dedupe key"

    package init(database: any Database, clock: any TimeSource, credentials: Credentials, httpClient: HTTPClient = ProviderHTTP.client, logger: Logger) {
        self.database = database
        self.clock = clock
        self.credentials = credentials
        self.httpClient = httpClient
        self.logger = logger
    }

    /// One attempt at the message: sends to its pending recipients, records the attempt, and
    /// completes the job in the transaction that writes the final statuses.
    func dispatch(messageID: String, context: JobContext) async throws -> JobOutcome {
        let store = store
        guard let message = try await database.withConnection({ work in try await store.message(id: messageID, tenantID: nil, in: work) }),
            !message.status.isFinal
        else { return .completed }
        let startedAt = clock.now()
        let started = clock.uptime()
        if message.status != .sending {
            try await database.transaction { work in try await store.setStatus(.sending, messageID: messageID, at: startedAt, in: work) }
        }
        var recipients = message.recipients
        var result: AttemptResult
        do {
            switch message.provider {
            case .lark, .larkMarketplace: result = try await sendLark(message, &recipients)
            case .wecom: result = try await sendWeCom(message, &recipients)
            case .larkBot, .wecomRobot, .dingtalkRobot: result = try await sendRobot(message, &recipients)
            }
        } catch let error as YizhanError where Self.endsTheMessage.contains(error.code) {
            // The app was disabled, deleted or moved out of reach, or its key is gone: nothing will
            // be sent through it as it is, and an operator's fix should not send a stale message.
            Self.settle(&recipients, status: .failed, code: nil, reason: error.message)
            result = .done
        }
        if case .retry(let reason, let code) = result, context.job.attempt >= context.job.maxAttempts {
            for index in recipients.indices where recipients[index].status == .pending {
                let maybe = recipients[index].reason == Self.maybeDelivered
                recipients[index].status = maybe ? .unknown : .failed
                recipients[index].providerCode = code
                recipients[index].reason = "gave up after \(context.job.attempt) attempts: \(reason)"
            }
            result = .done
        }
        let elapsed = clock.uptime() - started
        let attempt = MessageAttempt(
            attempt: context.job.attempt, startedAt: startedAt, outcome: Self.outcome(result, recipients), providerCode: Self.code(of: result),
            detail: Self.detail(of: result), latencyMilliseconds: Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000))
        let finished = result
        let settled = recipients
        try await database.transaction { work in
            try await store.update(recipients: settled, messageID: messageID, at: clock.now(), in: work)
            try await store.record(attempt, messageID: messageID, in: work)
            if case .done = finished {
                try await store.setStatus(MessageStatus.ending(settled.map(\.status)), messageID: messageID, at: clock.now(), in: work)
                try await context.complete(in: work)
            }
        }
        switch result {
        case .done: return .completed
        case .retry(let reason, _): throw DispatchRetry(reason: reason)
        case .rateLimited(let after, _): return .snooze(until: clock.now().addingTimeInterval(after.seconds))
        }
    }

    /// Yizhan's own refusals that end a message: what an operator must change first.
    static let endsTheMessage: Set<YizhanError.Code> = [.appDisabled, .notFound, .masterKeyMissing, .validationError]

    /// Gives every pending recipient `status` with `code` and `reason`.
    static func settle(_ recipients: inout [Recipient], status: RecipientStatus, code: Int?, reason: String) {
        for index in recipients.indices where recipients[index].status == .pending {
            recipients[index].status = status
            recipients[index].providerCode = code
            recipients[index].reason = reason
        }
    }

    static func outcome(_ result: AttemptResult, _ recipients: [Recipient]) -> String {
        if case .done = result { return MessageStatus.ending(recipients.map(\.status)).rawValue }
        return result.outcome
    }

    static func code(of result: AttemptResult) -> Int? {
        switch result {
        case .done: nil
        case .retry(_, let code), .rateLimited(_, let code): code
        }
    }

    static func detail(of result: AttemptResult) -> String? {
        switch result {
        case .done: nil
        case .retry(let reason, _): reason
        case .rateLimited(let after, _): "rate limited: waiting \(after)"
        }
    }
}

/// An attempt that left recipients pending: the job retries after its backoff.
struct DispatchRetry: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}

extension Duration {
    /// In seconds, as a `TimeInterval`.
    var seconds: TimeInterval { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
