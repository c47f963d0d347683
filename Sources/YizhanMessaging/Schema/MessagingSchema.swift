import YizhanStorage

/// The tables of messages sent through Yizhan. Timestamps are `BIGINT` milliseconds; ids are prefixed text.
package enum MessagingSchema {
    /// Migration 8: messages, their recipients and their delivery attempts.
    package static let migrations: [Migration] = [createMessages]

    /// `messages` holds what the caller asked (`content`, `metadata` as JSON) and where it stands;
    /// `idempotency_key` is unique per tenant (NULLs apart), `request_hash` the SHA-256 of the
    /// canonical request that first used it; `fingerprint` and `first_sent_at` are those of its
    /// WeCom request (WeCom's duplicate check drops an identical request within its interval).
    /// `message_recipients` keeps each recipient as the caller gave it, with its own status, the
    /// provider's code and reason, when a send to it was first started (`attempted_at`: a send
    /// started and not settled may have reached them) and a WeCom email's or mobile's userid once
    /// resolved; `message_attempts` one row per dispatch attempt. Both go with their message.
    static let createMessages = Migration(version: 8, name: "create_messages", sql: [
        """
        CREATE TABLE messages (
            id TEXT PRIMARY KEY,
            tenant_id TEXT NOT NULL REFERENCES tenants(id),
            app_id TEXT NOT NULL,
            provider TEXT NOT NULL,
            status TEXT NOT NULL,
            content TEXT NOT NULL,
            metadata TEXT NOT NULL,
            idempotency_key TEXT,
            request_hash TEXT,
            send_at BIGINT,
            fingerprint TEXT,
            first_sent_at BIGINT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE UNIQUE INDEX messages_idempotency ON messages (tenant_id, idempotency_key)",
        "CREATE INDEX messages_tenant_created ON messages (tenant_id, created_at)",
        "CREATE INDEX messages_fingerprint ON messages (app_id, fingerprint)",
        """
        CREATE TABLE message_recipients (
            message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL,
            address TEXT NOT NULL,
            status TEXT NOT NULL,
            provider_code BIGINT,
            reason TEXT,
            provider_message_id TEXT,
            attempted_at BIGINT,
            resolved_id TEXT,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (message_id, position)
        )
        """,
        """
        CREATE TABLE message_attempts (
            message_id TEXT NOT NULL REFERENCES messages(id) ON DELETE CASCADE,
            attempt INTEGER NOT NULL,
            started_at BIGINT NOT NULL,
            outcome TEXT NOT NULL,
            provider_code BIGINT,
            detail TEXT,
            latency_ms BIGINT NOT NULL,
            PRIMARY KEY (message_id, attempt, started_at)
        )
        """,
    ])
}
