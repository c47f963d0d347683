import Logging
import SQLKit
import Testing
import YizhanStorage
import YizhanTesting

@Suite(.timeLimit(.minutes(2)))
struct MigratorTests {
    let logger = Logger(label: "test")

    @Test(arguments: TestEngines.all)
    func migrateAppliesEveryMigrationOnceAndRecordsIt(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: []) { database, _ in
            let migrator = Migrator(database: database, migrations: SettingsSchema.migrations, logger: logger)
            #expect(try await migrator.status() == MigrationStatus(appliedVersion: 0, latestVersion: migrator.latestVersion))
            let applied = try await migrator.migrate()
            #expect(applied == SettingsSchema.migrations.map(\.version))
            #expect(try await migrator.migrate().isEmpty)
            #expect(try await migrator.status().isCurrent)
            let rows = try await database.withConnection { try await $0.raw("SELECT version, name FROM yizhan_migrations").all() }
            #expect(rows.count == SettingsSchema.migrations.count)
        }
    }

    @Test(arguments: TestEngines.all)
    func migrateRefusesADatabaseNewerThanTheBinary(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: SettingsSchema.migrations) { database, _ in
            try await database.withConnection { sql in
                try await sql.raw("INSERT INTO yizhan_migrations (version, name, applied_at) VALUES (9999, 'from_the_future', 0)").run()
            }
            let migrator = Migrator(database: database, migrations: SettingsSchema.migrations, logger: logger)
            let error = try await #require(throws: DatabaseError.self) { try await migrator.migrate() }
            #expect(error.code == .schemaNewerThanBinary)
            #expect(try await migrator.status().isNewerThanBinary)
        }
    }

    @Test(arguments: TestEngines.all)
    func concurrentMigratorsApplyEachVersionOnce(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: []) { database, test in
            let second = try test.open()
            try await second.whileRunning {
                async let first = Migrator(database: database, migrations: SettingsSchema.migrations, logger: logger).migrate()
                async let other = Migrator(database: second, migrations: SettingsSchema.migrations, logger: logger).migrate()
                let (a, b) = try await (first, other)
                #expect((a + b).sorted() == SettingsSchema.migrations.map(\.version))
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func aFailingMigrationIsRolledBackAndReported(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: SettingsSchema.migrations) { database, _ in
            let broken = SettingsSchema.migrations + [
                Migration(version: 1000, name: "broken", sql: ["CREATE TABLE half_done (id BIGINT)", "THIS IS NOT SQL"])
            ]
            let migrator = Migrator(database: database, migrations: broken, logger: logger)
            let error = try await #require(throws: DatabaseError.self) { try await migrator.migrate() }
            #expect(error.code == .migrationFailed)
            #expect(try await migrator.status().appliedVersion == SettingsSchema.migrations.last?.version)
            // The table created before the failing statement was rolled back with it.
            await #expect(throws: (any Error).self) {
                try await database.withConnection { try await $0.raw("SELECT id FROM half_done").run() }
            }
        }
    }
}
