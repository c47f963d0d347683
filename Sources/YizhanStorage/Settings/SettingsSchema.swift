/// Storage's own schema: the instance-wide `settings` table (migration 1).
///
/// Each module owns its schema like this and the composition root lists them all, in version
/// order, for the ``Migrator``. Versions are unique across modules; a module takes the next free one.
package enum SettingsSchema {
    /// The migrations of this module.
    package static let migrations: [Migration] = [
        Migration(version: 1, name: "create_settings", sql: [
            """
            CREATE TABLE settings (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """
        ])
    ]
}
