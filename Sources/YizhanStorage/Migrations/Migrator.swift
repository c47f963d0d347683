import Logging
import SQLKit

/// Applies numbered migrations and records them in `yizhan_migrations`.
///
/// Safe to run from several processes at once: on PostgreSQL an advisory lock serialises migrators,
/// on SQLite each migration takes the write lock and re-checks what is applied. It refuses to touch a
/// database that already has versions newer than it knows.
package struct Migrator: Sendable {
    static let advisoryLockKey = 0x5949_5A48_414E  // "YIZHAN"

    private let database: any Database
    private let migrations: [Migration]
    private let logger: Logger

    /// - Parameters:
    ///   - database: Where to apply them.
    ///   - migrations: Every module's migrations, as the composition root lists them; versions must
    ///     be unique.
    package init(database: any Database, migrations: [Migration], logger: Logger) {
        precondition(Set(migrations.map(\.version)).count == migrations.count, "duplicate migration version")
        self.database = database
        self.migrations = migrations.sorted { $0.version < $1.version }
        self.logger = logger
    }

    /// The highest version this binary knows.
    package var latestVersion: Int { migrations.last?.version ?? 0 }

    /// Reads the applied version without changing anything.
    package func status() async throws -> MigrationStatus {
        try await database.withConnection { connection in
            try await ensureTable(connection)
            return MigrationStatus(appliedVersion: try await appliedVersion(connection), latestVersion: latestVersion)
        }
    }

    /// Applies every pending migration and returns the versions applied.
    @discardableResult
    package func migrate() async throws -> [Int] {
        let engine = database.engine
        return try await database.withConnection { connection in
            if engine == .postgres {
                try await connection.raw("SELECT pg_advisory_lock(\(bind: Self.advisoryLockKey))").run()
            }
            do {
                let applied = try await applyPending(connection, engine: engine)
                if engine == .postgres {
                    try await connection.raw("SELECT pg_advisory_unlock(\(bind: Self.advisoryLockKey))").run()
                }
                return applied
            } catch {
                if engine == .postgres {
                    try? await connection.raw("SELECT pg_advisory_unlock(\(bind: Self.advisoryLockKey))").run()
                }
                throw error
            }
        }
    }

    private func applyPending(_ connection: any SQLDatabase, engine: DatabaseEngine) async throws -> [Int] {
        try await ensureTable(connection)
        let current = try await appliedVersion(connection)
        if current > latestVersion {
            throw DatabaseError(
                .schemaNewerThanBinary,
                "The database is at schema version \(current) but this yizhan knows only up to \(latestVersion); upgrade yizhan."
            )
        }
        var applied: [Int] = []
        for migration in migrations where migration.version > current {
            let begin = engine == .sqlite ? "BEGIN IMMEDIATE" : "BEGIN"
            try await connection.raw(SQLQueryString(begin)).run()
            do {
                // Another process may have applied it between our read and our lock (SQLite).
                if try await appliedVersion(connection) >= migration.version {
                    try await connection.raw("ROLLBACK").run()
                    continue
                }
                for statement in migration.statements(engine) {
                    try await connection.raw(SQLQueryString(statement)).run()
                }
                try await connection.raw("""
                    INSERT INTO yizhan_migrations (version, name, applied_at)
                    VALUES (\(bind: migration.version), \(bind: migration.name), \(bind: Timestamp.nowMilliseconds()))
                    """).run()
                try await connection.raw("COMMIT").run()
            } catch {
                try? await connection.raw("ROLLBACK").run()
                throw DatabaseError(
                    .migrationFailed,
                    "Migration \(migration.version) (\(migration.name)) failed and was rolled back.",
                    underlying: error
                )
            }
            logger.info("applied migration", metadata: ["version": "\(migration.version)", "name": "\(migration.name)"])
            applied.append(migration.version)
        }
        return applied
    }

    private func ensureTable(_ connection: any SQLDatabase) async throws {
        try await connection.raw("""
            CREATE TABLE IF NOT EXISTS yizhan_migrations (
                version BIGINT PRIMARY KEY,
                name TEXT NOT NULL,
                applied_at BIGINT NOT NULL
            )
            """).run()
    }

    private func appliedVersion(_ connection: any SQLDatabase) async throws -> Int {
        let row = try await connection.raw("SELECT COALESCE(MAX(version), 0) AS version FROM yizhan_migrations").first()
        return try row?.decode(column: "version", as: Int.self) ?? 0
    }
}
