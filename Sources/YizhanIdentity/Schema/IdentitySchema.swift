import YizhanStorage

/// Identity's tables. Timestamps are `BIGINT` milliseconds; ids are prefixed text.
///
/// The composition root lists these after ``SettingsSchema`` (version 1); versions are unique
/// across modules and never change once released.
package enum IdentitySchema {
    /// Migration 2: tenants and their usage, users, custom roles, refresh tokens, API keys, login
    /// throttling and the audit log. Migration 3: how many attempts a login lockout refused, so one
    /// audit entry reports them all.
    package static let migrations: [Migration] = [createIdentity, countRefusedLogins]

    static let createIdentity = Migration(version: 2, name: "create_identity", sql: [
        """
        CREATE TABLE tenants (
            id TEXT PRIMARY KEY,
            code TEXT NOT NULL UNIQUE,
            name TEXT NOT NULL,
            status TEXT NOT NULL,
            max_apps BIGINT,
            max_accounts BIGINT,
            max_daily_messages BIGINT,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE tenant_usage (
            tenant_id TEXT NOT NULL REFERENCES tenants(id),
            metric TEXT NOT NULL,
            period TEXT NOT NULL,
            used BIGINT NOT NULL,
            PRIMARY KEY (tenant_id, metric, period)
        )
        """,
        """
        CREATE TABLE users (
            id TEXT PRIMARY KEY,
            tenant_id TEXT NOT NULL REFERENCES tenants(id),
            email TEXT NOT NULL,
            name TEXT NOT NULL,
            password_hash TEXT NOT NULL,
            roles TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            password_changed_at BIGINT NOT NULL,
            deleted_at BIGINT
        )
        """,
        "CREATE UNIQUE INDEX users_tenant_email ON users (tenant_id, email) WHERE deleted_at IS NULL",
        """
        CREATE TABLE roles (
            tenant_id TEXT NOT NULL REFERENCES tenants(id),
            name TEXT NOT NULL,
            description TEXT NOT NULL,
            permissions TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL,
            PRIMARY KEY (tenant_id, name)
        )
        """,
        """
        CREATE TABLE refresh_tokens (
            token_hash TEXT PRIMARY KEY,
            family_id TEXT NOT NULL,
            user_id TEXT NOT NULL REFERENCES users(id),
            tenant_id TEXT NOT NULL REFERENCES tenants(id),
            issued_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL,
            rotated_at BIGINT,
            revoked_at BIGINT
        )
        """,
        "CREATE INDEX refresh_tokens_family ON refresh_tokens (family_id)",
        "CREATE INDEX refresh_tokens_user ON refresh_tokens (user_id)",
        """
        CREATE TABLE api_keys (
            id TEXT PRIMARY KEY,
            tenant_id TEXT NOT NULL REFERENCES tenants(id),
            name TEXT NOT NULL,
            prefix TEXT NOT NULL,
            key_hash TEXT NOT NULL UNIQUE,
            permissions TEXT NOT NULL,
            created_by TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            expires_at BIGINT,
            last_used_at BIGINT,
            revoked_at BIGINT
        )
        """,
        "CREATE INDEX api_keys_tenant ON api_keys (tenant_id)",
        """
        CREATE TABLE login_throttle (
            key TEXT PRIMARY KEY,
            failures BIGINT NOT NULL,
            locked_until BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        """
        CREATE TABLE audit_logs (
            id TEXT PRIMARY KEY,
            tenant_id TEXT,
            actor_type TEXT NOT NULL,
            actor_id TEXT,
            actor_label TEXT,
            action TEXT NOT NULL,
            outcome TEXT NOT NULL,
            target_type TEXT,
            target_id TEXT,
            client_address TEXT,
            request_id TEXT,
            details TEXT NOT NULL,
            occurred_at BIGINT NOT NULL
        )
        """,
        "CREATE INDEX audit_logs_tenant_time ON audit_logs (tenant_id, occurred_at)",
    ])

    static let countRefusedLogins = Migration(version: 3, name: "count_refused_logins", sql: [
        "ALTER TABLE login_throttle ADD COLUMN refused BIGINT NOT NULL DEFAULT 0"
    ])
}
