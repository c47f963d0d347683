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
    private let store = MessageStore()

    package init(database: any Database, clock: any TimeSource, apps: AppService, quotas: QuotaService, queue: JobQueue) {
        self.database = database
        self.clock = clock
        self.apps = apps
        self.quotas = quotas
        self.queue = queue
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
        let app = try await apps.app(id: request.appID, tenantID: tenantID)
        guard app.status == .active else {
            throw YizhanError(.appDisabled, "App \(app.id) is disabled.", details: ["app_id": .string(app.id)])
        }
        if app.provider == .larkMarketplace {
            throw InputRules.invalid("app", "is a marketplace app: it sends per customer tenant, which is not supported yet", status: 422)
        }
        let recipients = try RecipientRules.check(request.recipients, provider: app.provider)
        try MessageContentRules.check(request.content, provider: app.provider)
        try Self.check(metadata: request.metadata)
        if let key = request.idempotencyKey {
            guard (1...Self.longestIdempotencyKey).contains(key.utf8.count), !key.contains(where: { $0.isNewline }) else {
                throw InputRules.invalid("idempotency_key", "must be 1 to \(Self.longestIdempotencyKey) bytes on one line")
            }
        }
        let now = clock.now()
        let sendAt = request.sendAt.flatMap { $0 > now ? $0 : nil }
        let message = Message(
            id: IdentityID.make("msg"), tenantID: tenantID, appID: app.id, provider: app.provider,
            status: sendAt == nil ? .pending : .scheduled, content: request.content, metadata: request.metadata,
            idempotencyKey: request.idempotencyKey, sendAt: sendAt, recipients: recipients, createdAt: now, updatedAt: now)
        do {
            return try await database.transaction { work in
                if let key = request.idempotencyKey, let earlier = try await earlier(key: key, hash: hash, tenantID: tenantID, in: work) {
                    return (earlier, false)
                }
                try await quotas.consume(tenantID: tenantID, .dailyMessages, in: work)
                try await store.insert(message, requestHash: request.idempotencyKey == nil ? nil : hash, in: work)
                try await queue.enqueue(
                    DispatchMessageJob.self, .init(messageID: message.id),
                    options: .init(runAt: sendAt, uniqueKey: "message:\(message.id)", tenantID: tenantID), in: work)
                return (message, true)
            }
        } catch let error as DatabaseError where error.code == .uniqueViolation && request.idempotencyKey != nil {
            // A concurrent request with the same key committed first: answer its message.
            return try await database.transaction { work in
                guard let earlier = try await earlier(key: request.idempotencyKey ?? "", hash: hash, tenantID: tenantID, in: work) else { throw error }
                return (earlier, false)
            }
        }
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
