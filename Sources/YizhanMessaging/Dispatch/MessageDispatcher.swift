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
/// WeCom's duplicate check (an identical request within 10 minutes is dropped). Before a send goes
/// out its recipients are marked attempted in the database; a recipient attempted and not settled
/// (the process died, the answer was lost) is repeated only inside the dedupe window, and ends
/// `unknown` after it. Robots and bots have no dedupe key: an attempted group is never posted to again.
///
/// Every write checks that the attempt still holds the job, and never takes back a final status.
package struct MessageDispatcher: Sendable {
    let database: any Database
    let clock: any TimeSource
    let credentials: Credentials
    let httpClient: HTTPClient
    let logger: Logger
    let observer: (any MessagingObserver)?
    let store = MessageStore()

    /// How long after a recipient's first send its dedupe key still protects a repeat: Lark keeps a
    /// `uuid` an hour (5 minutes are kept back for clocks and slow attempts).
    static let larkDedupeWindow: TimeInterval = 55 * 60
    /// WeCom's duplicate check interval, in seconds, and how long a repeat is still covered by it.
    static let wecomDuplicateCheck = 600
    static let wecomDedupeWindow: TimeInterval = 480
    /// Recipients marked attempted together before their sends (Lark: one call each).
    static let chunk = 50

    package init(
        database: any Database, clock: any TimeSource, credentials: Credentials, httpClient: HTTPClient = ProviderHTTP.client, logger: Logger,
        observer: (any MessagingObserver)? = nil
    ) {
        self.database = database
        self.clock = clock
        self.credentials = credentials
        self.httpClient = httpClient
        self.logger = logger
        self.observer = observer
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
            // Conditional: a message cancelled since it was read is not sent.
            let claimed = try await database.transaction { work in
                try await context.holdLease(in: work)
                return try await store.setStatus(.sending, from: [.pending, .scheduled], messageID: messageID, at: startedAt, in: work)
            }
            guard claimed else { return .completed }
        }
        var sending = Sending(message: message, context: context)
        var result: AttemptResult
        do {
            switch message.provider {
            case .lark, .larkMarketplace: result = try await sendLark(&sending)
            case .wecom: result = try await sendWeCom(&sending)
            case .larkBot, .wecomRobot, .dingtalkRobot: result = try await sendRobot(&sending)
            }
        } catch let error as JobsError {
            throw error  // another worker holds the job now: leave everything to it
        } catch let error as YizhanError where Self.endsTheMessage.contains(error.code) {
            // The app was disabled, deleted or moved out of reach, or its key is gone: nothing will
            // be sent through it as it is, and an operator's fix should not send a stale message.
            for index in sending.recipients.indices { sending.recipients[index].giveUp(code: nil, reason: error.message) }
            result = .done
        } catch {
            result = .retry(reason: "\(error)", providerCode: nil)
        }
        if case .retry(let reason, let code) = result, context.job.attempt >= context.job.maxAttempts {
            for index in sending.recipients.indices {
                sending.recipients[index].giveUp(code: code, reason: "gave up after \(context.job.attempt) attempts: \(reason)")
            }
            result = .done
        }
        let elapsed = clock.uptime() - started
        let attempt = MessageAttempt(
            attempt: context.job.attempt, startedAt: startedAt, outcome: Self.outcome(result, sending.recipients),
            providerCode: Self.code(of: result), detail: Self.detail(of: result),
            latencyMilliseconds: Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000))
        let (finished, settled) = (result, sending.recipients)
        try await database.transaction { work in
            try await context.holdLease(in: work)
            try await store.update(recipients: settled, messageID: messageID, at: clock.now(), in: work)
            try await store.record(attempt, messageID: messageID, in: work)
            if case .done = finished {
                let final = MessageStatus.ending(try await store.recipients(messageID: messageID, in: work).map(\.status))
                try await store.setStatus(final, from: [.pending, .scheduled, .sending], messageID: messageID, at: clock.now(), in: work)
                try await context.complete(in: work)
            }
        }
        // Counted once committed: each recipient this attempt ended, and a wait for a rate limit.
        for (before, after) in zip(message.recipients, settled) where before.status == .pending && after.status != .pending {
            observer?.ended(message.provider, after.status)
        }
        if case .rateLimited = result { observer?.rateLimited(message.provider) }
        switch result {
        case .done: return .completed
        case .retry(let reason, _): throw DispatchRetry(reason: reason)
        case .rateLimited(let after, _): return .snooze(until: clock.now().addingTimeInterval(after.seconds))
        }
    }

    /// Marks `indices` attempted (the first time only) and writes them before their sends go out.
    func begin(_ indices: [Int], _ sending: inout Sending) async throws {
        let now = clock.now()
        for index in indices where sending.recipients[index].attemptedAt == nil {
            sending.recipients[index].attemptedAt = now
            sending.startedNow.insert(index)
        }
        try await save(indices, sending)
    }

    /// Writes the recipients at `indices`, holding the lease.
    func save(_ indices: [Int], _ sending: Sending) async throws {
        let (store, now, recipients, messageID, context) = (store, clock.now(), sending.recipients, sending.message.id, sending.context)
        try await database.transaction { work in
            try await context.holdLease(in: work)
            try await store.update(recipients: recipients, positions: indices, messageID: messageID, at: now, in: work)
        }
    }

    /// Yizhan's own refusals that end a message: what an operator must change first.
    static let endsTheMessage: Set<YizhanError.Code> = [.appDisabled, .notFound, .masterKeyMissing, .validationError]

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

/// One attempt's message and recipients, and which recipients it was the first to send to.
struct Sending {
    let message: Message
    let context: JobContext
    var recipients: [Recipient]
    var startedNow: Set<Int> = []

    init(message: Message, context: JobContext) {
        self.message = message
        self.context = context
        self.recipients = message.recipients
    }

    var pending: [Int] { recipients.indices.filter { recipients[$0].status == .pending } }
}

/// An attempt that left recipients pending: the job retries after its backoff.
struct DispatchRetry: Error, CustomStringConvertible {
    var reason: String
    var description: String { reason }
}
