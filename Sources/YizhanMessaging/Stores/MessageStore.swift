import Foundation
import SQLKit
import YizhanCore
import YizhanCredentials
import YizhanStorage

/// Messages, their recipients and attempts, on either engine.
struct MessageStore {
    static let columns = "id, tenant_id, app_id, provider, status, content, metadata, idempotency_key, send_at, created_at, updated_at"

    func insert(_ message: Message, requestHash: String?, in work: UnitOfWork) async throws {
        try await work.raw("""
            INSERT INTO messages (id, tenant_id, app_id, provider, status, content, metadata, idempotency_key, request_hash, send_at,
                                  created_at, updated_at)
            VALUES (\(bind: message.id), \(bind: message.tenantID), \(bind: message.appID), \(bind: message.provider.rawValue),
                    \(bind: message.status.rawValue), \(bind: MessageJSON.text(message.content)), \(bind: MessageJSON.text(message.metadata)),
                    \(bind: message.idempotencyKey), \(bind: requestHash), \(bind: message.sendAt.map(Timestamp.milliseconds)),
                    \(bind: Timestamp.milliseconds(message.createdAt)), \(bind: Timestamp.milliseconds(message.updatedAt)))
            """).run()
        let now = Timestamp.milliseconds(message.createdAt)
        for (position, recipient) in message.recipients.enumerated() {
            try await work.raw("""
                INSERT INTO message_recipients (message_id, position, kind, address, status, updated_at)
                VALUES (\(bind: message.id), \(bind: position), \(bind: recipient.kind), \(bind: recipient.address),
                        \(bind: recipient.status.rawValue), \(bind: now))
                """).run()
        }
    }

    /// The tenant's message with its recipients and attempts (`tenantID` nil: any tenant's, for the dispatcher).
    func message(id: String, tenantID: String?, forUpdate: Bool = false, in work: UnitOfWork) async throws -> Message? {
        var filter: SQLQueryString = "id = \(bind: id)"
        if let tenantID { filter += " AND tenant_id = \(bind: tenantID)" }
        let lock: SQLQueryString = forUpdate && work.engine == .postgres ? " FOR UPDATE" : ""
        guard let row = try await work.raw("SELECT \(unsafeRaw: Self.columns) FROM messages WHERE \(filter)\(lock)").first() else { return nil }
        var message = try Self.decode(row)
        message.recipients = try await recipients(messageID: id, in: work)
        message.attempts = try await attempts(messageID: id, in: work)
        return message
    }

    /// The tenant's message that used `key`, with the hash of the request that did.
    func message(idempotencyKey key: String, tenantID: String, in work: UnitOfWork) async throws -> (id: String, requestHash: String?)? {
        guard let row = try await work.raw("""
            SELECT id, request_hash FROM messages WHERE tenant_id = \(bind: tenantID) AND idempotency_key = \(bind: key)
            """).first()
        else { return nil }
        return (try row.decode(column: "id", as: String.self), try row.decode(column: "request_hash", as: String?.self))
    }

    func recipients(messageID: String, in work: UnitOfWork) async throws -> [Recipient] {
        try await work.raw("""
            SELECT kind, address, status, provider_code, reason, provider_message_id, attempted_at, resolved_id FROM message_recipients
            WHERE message_id = \(bind: messageID) ORDER BY position
            """).all().map { row in
            var recipient = Recipient(kind: try row.decode(column: "kind", as: String.self), address: try row.decode(column: "address", as: String.self))
            recipient.status = RecipientStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending
            recipient.providerCode = try row.decode(column: "provider_code", as: Int?.self)
            recipient.reason = try row.decode(column: "reason", as: String?.self)
            recipient.providerMessageID = try row.decode(column: "provider_message_id", as: String?.self)
            recipient.attemptedAt = try row.decode(column: "attempted_at", as: Int64?.self).map(Timestamp.date(milliseconds:))
            recipient.resolvedID = try row.decode(column: "resolved_id", as: String?.self)
            return recipient
        }
    }

    func attempts(messageID: String, in work: UnitOfWork) async throws -> [MessageAttempt] {
        try await work.raw("""
            SELECT attempt, started_at, outcome, provider_code, detail, latency_ms FROM message_attempts
            WHERE message_id = \(bind: messageID) ORDER BY started_at, attempt
            """).all().map { row in
            MessageAttempt(
                attempt: try row.decode(column: "attempt", as: Int.self),
                startedAt: Timestamp.date(milliseconds: try row.decode(column: "started_at", as: Int64.self)),
                outcome: try row.decode(column: "outcome", as: String.self),
                providerCode: try row.decode(column: "provider_code", as: Int?.self),
                detail: try row.decode(column: "detail", as: String?.self),
                latencyMilliseconds: try row.decode(column: "latency_ms", as: Int.self))
        }
    }

    /// Writes the recipients at `positions` (all when nil): status, code, reason, provider message
    /// id, when first attempted and the resolved id. Only a recipient still pending is written: a
    /// final status is never taken back.
    func update(recipients: [Recipient], positions: [Int]? = nil, messageID: String, at now: Date, in work: UnitOfWork) async throws {
        for position in positions ?? Array(recipients.indices) {
            let recipient = recipients[position]
            try await work.raw("""
                UPDATE message_recipients SET status = \(bind: recipient.status.rawValue), provider_code = \(bind: recipient.providerCode),
                    reason = \(bind: recipient.reason), provider_message_id = \(bind: recipient.providerMessageID),
                    attempted_at = \(bind: recipient.attemptedAt.map(Timestamp.milliseconds)), resolved_id = \(bind: recipient.resolvedID),
                    updated_at = \(bind: Timestamp.milliseconds(now))
                WHERE message_id = \(bind: messageID) AND position = \(bind: position) AND status = 'pending'
                """).run()
        }
    }

    /// Moves the message to `status` if it is in one of `from` (a final status is never taken back);
    /// whether it moved.
    @discardableResult
    func setStatus(_ status: MessageStatus, from: [MessageStatus], messageID: String, at now: Date, in work: UnitOfWork) async throws -> Bool {
        let sources = from.map { "'\($0.rawValue)'" }.joined(separator: ", ")
        return try await !work.raw("""
            UPDATE messages SET status = \(bind: status.rawValue), updated_at = \(bind: Timestamp.milliseconds(now))
            WHERE id = \(bind: messageID) AND status IN (\(unsafeRaw: sources))
            RETURNING id
            """).all().isEmpty
    }

    /// Ends the message's pending recipients as `failed` with `reason` (a cancelled message's).
    func failPending(messageID: String, reason: String, at now: Date, in work: UnitOfWork) async throws {
        try await work.raw("""
            UPDATE message_recipients SET status = 'failed', reason = \(bind: reason), updated_at = \(bind: Timestamp.milliseconds(now))
            WHERE message_id = \(bind: messageID) AND status = 'pending'
            """).run()
    }

    /// Records the message's WeCom request fingerprint and when it first went out (kept from the first time).
    func recordFingerprint(_ fingerprint: String, messageID: String, at now: Date, in work: UnitOfWork) async throws {
        try await work.raw("""
            UPDATE messages SET fingerprint = \(bind: fingerprint), first_sent_at = COALESCE(first_sent_at, \(bind: Timestamp.milliseconds(now)))
            WHERE id = \(bind: messageID)
            """).run()
    }

    /// When another message of the app first sent the identical WeCom request at or after `since`, if one did.
    func identicalSend(appID: String, fingerprint: String, excluding messageID: String, since: Date, in work: UnitOfWork) async throws -> Date? {
        try await work.raw("""
            SELECT MAX(first_sent_at) AS at FROM messages
            WHERE app_id = \(bind: appID) AND fingerprint = \(bind: fingerprint) AND id <> \(bind: messageID)
              AND first_sent_at >= \(bind: Timestamp.milliseconds(since))
            """).first()?.decode(column: "at", as: Int64?.self).map(Timestamp.date(milliseconds:))
    }

    func record(_ attempt: MessageAttempt, messageID: String, in work: UnitOfWork) async throws {
        try await work.raw("""
            INSERT INTO message_attempts (message_id, attempt, started_at, outcome, provider_code, detail, latency_ms)
            VALUES (\(bind: messageID), \(bind: attempt.attempt), \(bind: Timestamp.milliseconds(attempt.startedAt)), \(bind: attempt.outcome),
                    \(bind: attempt.providerCode), \(bind: attempt.detail), \(bind: attempt.latencyMilliseconds))
            ON CONFLICT (message_id, attempt, started_at) DO NOTHING
            """).run()
    }

    /// The tenant's messages, newest first, of one app or status when asked (without attempts).
    func list(tenantID: String, appID: String?, status: MessageStatus?, page: PageRequest, in work: UnitOfWork) async throws -> Page<Message> {
        var filter: SQLQueryString = "tenant_id = \(bind: tenantID)"
        if let appID { filter += " AND app_id = \(bind: appID)" }
        if let status { filter += " AND status = \(bind: status.rawValue)" }
        let total = try await work.raw("SELECT COUNT(*) AS n FROM messages WHERE \(filter)").first()?.decode(column: "n", as: Int.self) ?? 0
        var items: [Message] = []
        for row in try await work.raw("""
            SELECT \(unsafeRaw: Self.columns) FROM messages WHERE \(filter) ORDER BY created_at DESC, id
            LIMIT \(bind: page.pageSize) OFFSET \(bind: page.offset)
            """).all()
        {
            var message = try Self.decode(row)
            message.recipients = try await recipients(messageID: message.id, in: work)
            items.append(message)
        }
        return Page(items: items, total: total, page: page.page, pageSize: page.pageSize)
    }

    static func decode(_ row: any SQLRow) throws -> Message {
        Message(
            id: try row.decode(column: "id", as: String.self),
            tenantID: try row.decode(column: "tenant_id", as: String.self),
            appID: try row.decode(column: "app_id", as: String.self),
            provider: AppProvider(rawValue: try row.decode(column: "provider", as: String.self)) ?? .lark,
            status: MessageStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .pending,
            content: try MessageJSON.decode([String: JSONValue].self, try row.decode(column: "content", as: String.self)),
            metadata: try MessageJSON.decode([String: String].self, try row.decode(column: "metadata", as: String.self)),
            idempotencyKey: try row.decode(column: "idempotency_key", as: String?.self),
            sendAt: try row.decode(column: "send_at", as: Int64?.self).map(Timestamp.date(milliseconds:)),
            recipients: [],
            createdAt: Timestamp.date(milliseconds: try row.decode(column: "created_at", as: Int64.self)),
            updatedAt: Timestamp.date(milliseconds: try row.decode(column: "updated_at", as: Int64.self)))
    }
}
