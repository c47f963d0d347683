import Crypto
import Foundation
import YizhanCore
import YizhanCredentials
import YizhanIdentity
import YizhanJobs
import YizhanStorage

/// Accepts messages and answers where they stand. Accepting writes the message, its recipients,
/// the tenant's daily count and the dispatch job in one transaction: a message is either queued
/// whole or not at all.
package struct MessageService: Sendable {
    private let database: any Database
    private let clock: any TimeSource
    private let apps: AppService
    private let quotas: QuotaService
    private let queue: JobQueue
    private let observer: (any MessagingObserver)?
    private let store = MessageStore()

    package init(
        database: any Database, clock: any TimeSource, apps: AppService, quotas: QuotaService, queue: JobQueue,
        observer: (any MessagingObserver)? = nil
    ) {
        self.database = database
        self.clock = clock
        self.apps = apps
        self.quotas = quotas
        self.queue = queue
        self.observer = observer
    }

    /// The longest idempotency key, and how many metadata entries a message carries at most.
    static let longestIdempotencyKey = 255
    static let mostMetadata = 20

    /// Queues `request` for the tenant; with an idempotency key used before, the message that used it.
    /// - Returns: The message, and whether it was accepted now (false: the key's earlier message).
    /// - Throws: `VALIDATION_ERROR` or `UNSUPPORTED_MESSAGE_TYPE` (400) naming the field;
    ///   `NOT_FOUND` for another tenant's or no app; `APP_DISABLED` (409); `IDEMPOTENCY_MISMATCH`
    ///   (409) for a key used with another request; `QUOTA_EXCEEDED` (429) past `max_daily_messages`.
    package func accept(_ request: MessageRequest, tenantID: String) async throws -> (message: Message, accepted: Bool) {
        let hash = Self.hash(request)
        if let key = request.idempotencyKey {
            // A replay answers its first message even if the app changed since.
            let replayed = try await database.withConnection { work -> Message? in
                try await self.earlier(key: key, hash: hash, tenantID: tenantID, in: work)
            }
            if let replayed { return (replayed, false) }
        }
        let app = try await sendingApp(id: request.appID, tenantID: tenantID)
        let prepared = try Self.prepare(request, app: app, tenantID: tenantID, now: clock.now())
        do {
            let outcome = try await database.transaction { work -> (message: Message, accepted: Bool) in
                if let key = request.idempotencyKey, let earlier = try await earlier(key: key, hash: hash, tenantID: tenantID, in: work) {
                    return (earlier, false)
                }
                try await quotas.consume(tenantID: tenantID, .dailyMessages, in: work)
                try await insert([prepared], in: work)
                return (prepared.message, true)
            }
            if outcome.accepted { observer?.accepted(app.provider, count: 1) }
            return outcome
        } catch let error as DatabaseError where error.code == .uniqueViolation && request.idempotencyKey != nil {
            // A concurrent request with the same key committed first: answer its message.
            return try await database.transaction { work in
                guard let earlier = try await earlier(key: request.idempotencyKey ?? "", hash: hash, tenantID: tenantID, in: work) else { throw error }
                return (earlier, false)
            }
        }
    }

    /// The most messages of one batch.
    package static let largestBatch = 1000

    /// What became of one message of a batch.
    package enum BatchItem: Sendable {
        /// Queued now (`replayed` false) or the idempotency key's earlier message.
        case accepted(Message, replayed: Bool)
        /// Refused, as a single send would have been.
        case refused(YizhanError)
    }

    /// Queues the valid messages of `requests` together (one transaction: all of them or, on a
    /// quota or storage failure, none) and says for each why it was refused if it was.
    /// - Throws: `VALIDATION_ERROR` for an empty batch or one over ``largestBatch``;
    ///   `QUOTA_EXCEEDED` (429) when the new messages together would pass `max_daily_messages`.
    package func acceptBatch(_ requests: [MessageRequest], tenantID: String) async throws -> [BatchItem] {
        guard (1...Self.largestBatch).contains(requests.count) else {
            throw InputRules.invalid("messages", "must hold 1 to \(Self.largestBatch) messages")
        }
        let now = clock.now()
        var apps: [String: Result<ProviderApp, YizhanError>] = [:]
        var refused: [Int: YizhanError] = [:]
        var prepared: [(index: Int, prepared: Prepared)] = []
        for (index, request) in requests.enumerated() {
            do {
                let app: ProviderApp
                if let known = apps[request.appID] {
                    app = try known.get()
                } else {
                    do {
                        app = try await sendingApp(id: request.appID, tenantID: tenantID)
                        apps[request.appID] = .success(app)
                    } catch let error as YizhanError {
                        apps[request.appID] = .failure(error)
                        throw error
                    }
                }
                prepared.append((index, try Self.prepare(request, app: app, tenantID: tenantID, now: now)))
            } catch let error as YizhanError {
                refused[index] = error
            }
        }
        let candidates = prepared
        let outcomes = try await database.transaction { work -> [Int: BatchItem] in
            var outcomes: [Int: BatchItem] = [:]
            var fresh: [Prepared] = []
            for (index, item) in candidates {
                if let key = item.message.idempotencyKey {
                    do {
                        // Earlier in this batch too: those are inserted as they come.
                        if let earlier = try await earlier(key: key, hash: item.hash, tenantID: tenantID, in: work) {
                            outcomes[index] = .accepted(earlier, replayed: true)
                            continue
                        }
                    } catch let error as YizhanError {
                        outcomes[index] = .refused(error)
                        continue
                    }
                }
                try await insert([item], enqueue: false, in: work)
                fresh.append(item)
                outcomes[index] = .accepted(item.message, replayed: false)
            }
            if !fresh.isEmpty {
                try await quotas.consume(tenantID: tenantID, .dailyMessages, fresh.count, in: work)
                try await queue.enqueue(many: try fresh.map(Self.dispatchJob), in: work)
            }
            return outcomes
        }
        for (_, item) in outcomes {
            if case .accepted(let message, false) = item { observer?.accepted(message.provider, count: 1) }
        }
        return requests.indices.map { index in outcomes[index] ?? .refused(refused[index] ?? YizhanError(.internalError, "Not processed.")) }
    }

    /// A checked request, ready to be stored.
    struct Prepared: Sendable {
        var message: Message
        var hash: String
    }

    /// The tenant's app `id` if messages may be sent through it now.
    private func sendingApp(id: String, tenantID: String) async throws -> ProviderApp {
        let app = try await apps.app(id: id, tenantID: tenantID)
        guard app.status == .active else {
            throw YizhanError(.appDisabled, "App \(app.id) is disabled.", details: ["app_id": .string(app.id)])
        }
        if app.provider == .larkMarketplace {
            throw InputRules.invalid("app", "is a marketplace app: it sends per customer tenant, which is not supported yet", status: 422)
        }
        return app
    }

    /// Checks `request` for `app` and makes the message it asks for.
    static func prepare(_ request: MessageRequest, app: ProviderApp, tenantID: String, now: Date) throws(YizhanError) -> Prepared {
        let recipients = try RecipientRules.check(request.recipients, provider: app.provider)
        try MessageContentRules.check(request.content, provider: app.provider)
        try check(metadata: request.metadata)
        if let key = request.idempotencyKey {
            guard (1...longestIdempotencyKey).contains(key.utf8.count), !key.contains(where: { $0.isNewline }) else {
                throw InputRules.invalid("idempotency_key", "must be 1 to \(longestIdempotencyKey) bytes on one line")
            }
        }
        let sendAt = request.sendAt.flatMap { $0 > now ? $0 : nil }
        let message = Message(
            id: IdentityID.make("msg"), tenantID: tenantID, appID: app.id, provider: app.provider,
            status: sendAt == nil ? .pending : .scheduled, content: request.content, metadata: request.metadata,
            idempotencyKey: request.idempotencyKey, sendAt: sendAt, recipients: recipients, createdAt: now, updatedAt: now)
        return Prepared(message: message, hash: hash(request))
    }

    /// Stores the messages and (unless told not to) enqueues their dispatch jobs, in `work`.
    private func insert(_ items: [Prepared], enqueue: Bool = true, in work: UnitOfWork) async throws {
        for item in items {
            try await store.insert(item.message, requestHash: item.message.idempotencyKey == nil ? nil : item.hash, in: work)
        }
        if enqueue { try await queue.enqueue(many: try items.map(Self.dispatchJob), in: work) }
    }

    /// The dispatch job of a message: at its `send_at`, one per message.
    static func dispatchJob(_ item: Prepared) throws -> NewJob {
        try NewJob(
            DispatchMessageJob.self, .init(messageID: item.message.id),
            options: .init(runAt: item.message.sendAt, uniqueKey: "message:\(item.message.id)", tenantID: item.message.tenantID))
    }

    /// Cancels the tenant's message if it is still `scheduled` or `pending`: nothing of it is sent,
    /// and its recipients end `failed` ("cancelled"). Its dispatch job finds it final and ends.
    /// - Throws: `NOT_FOUND`; `CONFLICT` (409) once it is being sent or has ended.
    package func cancel(id: String, tenantID: String) async throws -> Message {
        let now = clock.now()
        return try await database.transaction { work in
            guard let message = try await store.message(id: id, tenantID: tenantID, forUpdate: true, in: work) else {
                throw YizhanError(.notFound, "No message with id \(id).")
            }
            guard try await store.setStatus(.cancelled, from: [.scheduled, .pending], messageID: id, at: now, in: work) else {
                throw YizhanError(
                    .conflict, "Message \(id) is \(message.status.rawValue): only a scheduled or pending message can be cancelled.",
                    details: ["status": .string(message.status.rawValue)])
            }
            try await store.failPending(messageID: id, reason: "cancelled", at: now, in: work)
            guard let cancelled = try await store.message(id: id, tenantID: tenantID, in: work) else { throw YizhanError(.notFound, "No message with id \(id).") }
            return cancelled
        }
    }

    /// The tenant's message.
    package func message(id: String, tenantID: String) async throws -> Message {
        let found = try await database.withConnection { work in try await store.message(id: id, tenantID: tenantID, in: work) }
        guard let found else { throw YizhanError(.notFound, "No message with id \(id).") }
        return found
    }

    /// The tenant's messages, newest first.
    package func list(tenantID: String, appID: String?, status: MessageStatus?, page: PageRequest) async throws -> Page<Message> {
        try await database.withConnection { work in try await store.list(tenantID: tenantID, appID: appID, status: status, page: page, in: work) }
    }

    /// The message that used `key` if its request hashed to `hash`.
    /// - Throws: `IDEMPOTENCY_MISMATCH` when it was another request.
    private func earlier(key: String, hash: String, tenantID: String, in work: UnitOfWork) async throws -> Message? {
        guard let (id, earlierHash) = try await store.message(idempotencyKey: key, tenantID: tenantID, in: work) else { return nil }
        guard earlierHash == hash else {
            throw YizhanError(
                .idempotencyMismatch, "The idempotency key was used for another request (message \(id)).",
                details: ["field": .string("idempotency_key"), "message_id": .string(id)])
        }
        return try await store.message(id: id, tenantID: tenantID, in: work)
    }

    static func check(metadata: [String: String]) throws(YizhanError) {
        guard metadata.count <= mostMetadata else { throw InputRules.invalid("metadata", "has more than \(mostMetadata) entries") }
        for (key, value) in metadata.sorted(by: { $0.key < $1.key }) {
            guard (1...64).contains(key.count), value.utf8.count <= 512 else {
                throw InputRules.invalid("metadata.\(key)", "keys are 1 to 64 characters, values at most 512 bytes")
            }
        }
    }

    /// What makes two requests the same: app, recipients, content, send time and metadata.
    static func hash(_ request: MessageRequest) -> String {
        var canonical: [String: JSONValue] = [
            "app": .string(request.appID),
            "recipients": .array(request.recipients.map { .array([.string($0.kind), .string($0.address)]) }),
            "message": .object(request.content),
            "metadata": .object(request.metadata.mapValues { .string($0) }),
        ]
        if let sendAt = request.sendAt { canonical["send_at"] = .int(Int(Timestamp.milliseconds(sendAt))) }
        return SHA256.hash(data: Data(MessageJSON.text(canonical).utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
