import Foundation
import Logging
import SQLKit
import YizhanStorage
import YizhanStoragePostgres
import YizhanStorageSQLite

/// An isolated database for one test: a fresh SQLite file, or a fresh PostgreSQL schema reached
/// through its own login role (so a test can also take the database away and give it back).
package struct TestDatabase: Sendable {
    package let engine: DatabaseEngine
    /// Where the database is: the SQLite path, or the test role's PostgreSQL URL.
    package let location: String
    private let role: String?

    /// How long a test's database lets a caller wait for a connection unless the test says
    /// otherwise. A test checks behaviour, not the machine's speed: when the whole suite starts at
    /// once on two cores, a 5 s wait fired before a free connection was handed over. Tests of the
    /// timeout itself pass their own.
    package static let defaultAcquireTimeout: Duration = .seconds(30)

    /// Runs `body` with a running, isolated database, then removes it.
    /// - Parameters:
    ///   - migrations: applied first (the modules under test list theirs; empty for none).
    ///   - acquireTimeout: how long a caller may wait for a connection.
    package static func with<Result: Sendable>(
        _ engine: DatabaseEngine,
        migrations: [Migration],
        acquireTimeout: Duration = defaultAcquireTimeout,
        _ body: @Sendable (any Database, TestDatabase) async throws -> Result
    ) async throws -> Result {
        let test = try await create(engine)
        do {
            let database = try test.open(acquireTimeout: acquireTimeout)
            let result = try await database.whileRunning {
                if !migrations.isEmpty {
                    try await Migrator(database: database, migrations: migrations, logger: Self.logger).migrate()
                }
                return try await body(database, test)
            }
            try await test.remove()
            return result
        } catch {
            try? await test.remove()
            throw error
        }
    }

    /// A test database another process created, reached at `location` (for helper processes a
    /// test spawns; they never remove it).
    package static func existing(_ engine: DatabaseEngine, location: String) -> TestDatabase {
        TestDatabase(engine: engine, location: location, role: nil)
    }

    /// Creates the isolated database without opening it.
    package static func create(_ engine: DatabaseEngine) async throws -> TestDatabase {
        let name = "yz_t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        switch engine {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("yizhan-tests")
            return TestDatabase(engine: .sqlite, location: directory.appendingPathComponent("\(name).sqlite").path, role: nil)
        case .postgres:
            guard let base = TestEngines.postgresURL else {
                throw DatabaseError(.invalidURL, "YIZHAN_TEST_POSTGRES_URL is not set.")
            }
            try await admin { sql in
                try await sql.raw("CREATE ROLE \(unsafeRaw: name) LOGIN").run()
                try await sql.raw("CREATE SCHEMA \(unsafeRaw: name) AUTHORIZATION \(unsafeRaw: name)").run()
            }
            var url = try PostgresURL(base)
            url.username = name
            url.password = nil
            url.searchPath = name
            url.sslMode = "disable"
            return TestDatabase(engine: .postgres, location: url.connectionString, role: name)
        }
    }

    /// A new (not yet running) client of this database.
    package func open(
        poolSize: Int = 4, acquireTimeout: Duration = defaultAcquireTimeout, logger: Logger = logger
    ) throws -> any Database {
        switch engine {
        case .sqlite:
            return try SQLiteDatabase(
                configuration: .init(path: location, poolSize: poolSize, acquireTimeout: acquireTimeout), logger: logger)
        case .postgres:
            return PostgresDatabase(
                configuration: .init(url: try PostgresURL(location), poolSize: poolSize, acquireTimeout: acquireTimeout),
                logger: logger)
        }
    }

    /// PostgreSQL: refuses new logins of the test role and ends its sessions, as if the server went away.
    package func takeDatabaseAway() async throws {
        guard let role else { return }
        try await Self.admin { sql in
            try await sql.raw("ALTER ROLE \(unsafeRaw: role) NOLOGIN").run()
            try await Self.endSessions(of: role, sql)
        }
    }

    /// PostgreSQL: ends every session of the test role and lets it log in again at once, as a
    /// server restart does to a client's pooled connections.
    package func endSessions() async throws {
        guard let role else { return }
        try await Self.admin { sql in
            try await Self.endSessions(of: role, sql)
        }
    }

    /// PostgreSQL: lets the test role log in again.
    package func giveDatabaseBack() async throws {
        guard let role else { return }
        try await Self.admin { sql in
            try await sql.raw("ALTER ROLE \(unsafeRaw: role) LOGIN").run()
        }
    }

    /// Drops the schema and role, or deletes the SQLite files.
    package func remove() async throws {
        switch engine {
        case .sqlite:
            for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: location + suffix) }
        case .postgres:
            guard let role else { return }
            try await Self.admin { sql in
                try await Self.endSessions(of: role, sql)
                try await sql.raw("DROP SCHEMA IF EXISTS \(unsafeRaw: role) CASCADE").run()
                try await sql.raw("DROP ROLE IF EXISTS \(unsafeRaw: role)").run()
            }
        }
    }

    package static let logger: Logger = {
        var logger = Logger(label: "yizhan.test")
        logger.logLevel = .warning
        return logger
    }()

    private static func endSessions(of role: String, _ sql: any SQLDatabase) async throws {
        try await sql.raw("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = \(bind: role)").run()
    }

    /// Runs `body` as the server's superuser.
    ///
    /// Setup is not what a test measures, so it waits up to a minute for its connection.
    private static func admin(_ body: @Sendable (any SQLDatabase) async throws -> Void) async throws {
        guard let base = TestEngines.postgresURL else { return }
        let database = PostgresDatabase(
            configuration: .init(url: try PostgresURL(base), poolSize: 1, acquireTimeout: .seconds(60)), logger: logger)
        try await database.whileRunning {
            try await database.withConnection { try await body($0) }
        }
    }
}
