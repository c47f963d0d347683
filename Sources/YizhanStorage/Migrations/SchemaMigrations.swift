/// Every migration Yizhan knows, in order. Modules append theirs here with the next free version.
public enum SchemaMigrations {
    public static let all: [Migration] = [
        Migration(version: 1, name: "create_settings", sql: [
            """
            CREATE TABLE settings (
                key TEXT PRIMARY KEY,
                value TEXT NOT NULL,
                updated_at BIGINT NOT NULL
            )
            """
        ]),
        IdentitySchema.migration,
    ]
}
