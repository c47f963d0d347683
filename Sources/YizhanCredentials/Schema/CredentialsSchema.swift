import YizhanStorage

/// The tables of provider apps. Timestamps are `BIGINT` milliseconds; ids are prefixed text.
package enum CredentialsSchema {
    /// Migration 5: apps and robots with their sealed credentials.
    package static let migrations: [Migration] = [createApps]

    /// `identity_key` is what makes an app the same app at its provider (a Lark app id, a WeCom
    /// corp id and agent id, the SHA-256 of a robot's key): unique per tenant and provider.
    /// `secrets` is one value sealed by the master key, bound to the row's id; nothing else in the
    /// row is secret.
    static let createApps = Migration(version: 5, name: "create_apps", sql: [
        """
        CREATE TABLE apps (
            id TEXT PRIMARY KEY,
            tenant_id TEXT NOT NULL REFERENCES tenants(id),
            name TEXT NOT NULL,
            provider TEXT NOT NULL,
            base_url TEXT NOT NULL,
            status TEXT NOT NULL,
            identity_key TEXT NOT NULL,
            identifiers TEXT NOT NULL,
            secret_names TEXT NOT NULL,
            secrets TEXT NOT NULL,
            created_at BIGINT NOT NULL,
            updated_at BIGINT NOT NULL
        )
        """,
        "CREATE UNIQUE INDEX apps_identity ON apps (tenant_id, provider, identity_key)",
        "CREATE INDEX apps_tenant_created ON apps (tenant_id, created_at)",
    ])
}
