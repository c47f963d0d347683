import YizhanStorage

/// The tables of provider apps and their tokens. Timestamps are `BIGINT` milliseconds; ids are prefixed text.
package enum CredentialsSchema {
    /// Migration 5: apps and robots with their sealed credentials; 6: the token pool's stored tokens;
    /// 7: the contact cache.
    package static let migrations: [Migration] = [createApps, createProviderTokens, createContactCache]

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

    /// One row per (app, kind, subject): the newest token the pool holds for it, sealed by the
    /// master key and bound to the row's key. `version` grows by one with every token written, and
    /// writes are compare-and-set on it, so an older token never overwrites a newer one. A process
    /// about to fetch takes the lease (`lease_owner`, `lease_until`) under the row's lock; the
    /// others wait for the next version. `token` is empty until the first fetch. The rows go with
    /// their app.
    static let createProviderTokens = Migration(version: 6, name: "create_provider_tokens", sql: [
        """
        CREATE TABLE provider_tokens (
            app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
            kind TEXT NOT NULL,
            subject TEXT NOT NULL,
            token TEXT NOT NULL,
            version BIGINT NOT NULL,
            obtained_at BIGINT NOT NULL,
            refresh_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL,
            lease_owner TEXT,
            lease_until BIGINT NOT NULL,
            PRIMARY KEY (app_id, kind, subject)
        )
        """
    ])

    /// One row per (app, lookup): the ids the provider gave for a person found by `lookup_value`
    /// (a lower-cased email or a mobile as given), kept until `expires_at`. A row whose ids are all
    /// NULL is a miss (the provider found nobody), kept for a shorter time; a person found always
    /// has one. `open_id` and `union_id` are Lark's; `user_id` is Lark's `user_id` or WeCom's
    /// `userid`. The rows go with their app; the maintenance job deletes expired ones.
    static let createContactCache = Migration(version: 7, name: "create_contact_cache", sql: [
        """
        CREATE TABLE contact_cache (
            app_id TEXT NOT NULL REFERENCES apps(id) ON DELETE CASCADE,
            tenant_id TEXT NOT NULL,
            lookup_kind TEXT NOT NULL,
            lookup_value TEXT NOT NULL,
            open_id TEXT,
            union_id TEXT,
            user_id TEXT,
            looked_up_at BIGINT NOT NULL,
            expires_at BIGINT NOT NULL,
            PRIMARY KEY (app_id, lookup_kind, lookup_value)
        )
        """,
        "CREATE INDEX contact_cache_expires ON contact_cache (expires_at)",
    ])
}
