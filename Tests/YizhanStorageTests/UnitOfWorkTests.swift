import Logging
import SQLKit
import Synchronization
import Testing
import YizhanStorage
import YizhanStorageSQLite
import YizhanTesting

/// How units of work classify failures and run after-commit actions, on the real engines.
@Suite(.timeLimit(.minutes(2)))
struct UnitOfWorkTests {
    struct Boom: Error {}

    @Test(arguments: TestEngines.all)
    func aUniqueViolationIsClassifiedOnEitherEngine(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: SettingsSchema.migrations) { database, _ in
            let insert = { @Sendable (work: UnitOfWork) async throws in
                try await work.raw("INSERT INTO settings (key, value, updated_at) VALUES ('k', 'v', 0)").run()
            }
            try await database.withConnection(insert)
            do {
                try await database.transaction(insert)
                Issue.record("a duplicate key was inserted")
            } catch let error as DatabaseError {
                #expect(error.code == .uniqueViolation)
                #expect(!error.isTemporary)
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func afterCommitActionsRunOnlyWhenTheWorkCommits(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: SettingsSchema.migrations) { database, _ in
            let ran = Mutex<[String]>([])
            try await database.transaction { work in work.afterCommit { ran.withLock { $0.append("committed") } } }
            await #expect(throws: Boom.self) {
                try await database.transaction { work in
                    work.afterCommit { ran.withLock { $0.append("rolled back") } }
                    throw Boom()
                }
            }
            try await database.withConnection { work in work.afterCommit { ran.withLock { $0.append("lease") } } }
            #expect(ran.withLock { $0 } == ["committed", "lease"])
        }
    }

    @Test(arguments: TestEngines.postgresOnly)
    func postgresRunsATransactionAgainAfterASerializationFailure(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: SettingsSchema.migrations) { database, _ in
            let attempts = Mutex(0)
            let conflict: SQLQueryString = "DO $$ BEGIN RAISE EXCEPTION 'conflict' USING ERRCODE = '40001'; END $$"
            try await database.transaction { work in
                let attempt = attempts.withLock { $0 += 1; return $0 }
                try await work.raw("INSERT INTO settings (key, value, updated_at) VALUES ('try', \(bind: String(attempt)), 0)").run()
                if attempt < 3 { try await work.raw(conflict).run() }
            }
            #expect(attempts.withLock { $0 } == 3)
            #expect(try await SettingsStore(database: database).value(for: "try") == "3")  // the failed tries left nothing

            attempts.withLock { $0 = 0 }
            do {
                try await database.transaction { work in
                    attempts.withLock { $0 += 1 }
                    try await work.raw(conflict).run()
                }
                Issue.record("a transaction that always conflicts succeeded")
            } catch let error as DatabaseError {
                #expect(error.code == .serializationFailure)
                #expect(error.isTemporary)
            }
            #expect(attempts.withLock { $0 } == 3)
        }
    }

    @Test
    func sqliteBusyPastTheTimeoutIsATemporaryFailure() async throws {
        try await TestDatabase.with(.sqlite, migrations: SettingsSchema.migrations) { database, test in
            // Another process holds the write lock: a second database on the same file.
            let other = try SQLiteDatabase(configuration: .init(path: test.location, busyTimeoutMilliseconds: 50), logger: TestDatabase.logger)
            try await other.whileRunning {
                let (locked, lockedContinuation) = AsyncStream<Void>.makeStream()
                let (release, releaseContinuation) = AsyncStream<Void>.makeStream()
                async let holder: Void = database.transaction { work in
                    try await work.raw("INSERT INTO settings (key, value, updated_at) VALUES ('held', 'x', 0)").run()
                    lockedContinuation.yield()
                    for await _ in release { break }
                }
                for await _ in locked { break }
                do {
                    try await other.transaction { work in
                        try await work.raw("INSERT INTO settings (key, value, updated_at) VALUES ('other', 'y', 0)").run()
                    }
                    Issue.record("a second writer got the lock")
                } catch let error as DatabaseError {
                    #expect(error.code == .busy)
                    #expect(error.isTemporary)
                }
                releaseContinuation.yield()
                try await holder
            }
        }
    }

    @Test
    func sqlitePoolExhaustionFailsAfterTheAcquireTimeout() async throws {
        try await TestDatabase.with(.sqlite, migrations: SettingsSchema.migrations) { _, test in
            let database = try SQLiteDatabase(
                configuration: .init(path: test.location, poolSize: 1, acquireTimeout: .milliseconds(100)), logger: TestDatabase.logger)
            try await database.whileRunning {
                let (leased, leasedContinuation) = AsyncStream<Void>.makeStream()
                let (release, releaseContinuation) = AsyncStream<Void>.makeStream()
                async let holder: Void = database.withConnection { _ in
                    leasedContinuation.yield()
                    for await _ in release { break }
                }
                for await _ in leased { break }
                do {
                    try await database.withConnection { work in try await work.raw("SELECT 1").run() }
                    Issue.record("a second lease was granted from a pool of one")
                } catch let error as DatabaseError {
                    #expect(error.code == .unavailable)
                }
                #expect(await database.poolStatistics().waiting == 0)
                releaseContinuation.yield()
                try await holder
                try await database.withConnection { work in try await work.raw("SELECT 1").run() }
            }
        }
    }

    @Test
    func aCancelledSQLiteTransactionEndsBeforeItsConnectionIsLentAgain() async throws {
        try await TestDatabase.with(.sqlite, migrations: SettingsSchema.migrations) { _, test in
            // One connection, so the next transaction gets the very connection the cancelled one used.
            let database = try SQLiteDatabase(
                configuration: .init(path: test.location, poolSize: 1, busyTimeoutMilliseconds: 200), logger: TestDatabase.logger)
            try await database.whileRunning {
                let (inside, insideContinuation) = AsyncStream<Void>.makeStream()
                let cancelled = Task {
                    try await database.transaction { work in
                        try await work.raw("INSERT INTO settings (key, value, updated_at) VALUES ('lost', 'x', 0)").run()
                        insideContinuation.yield()
                        try await Task.sleep(for: .seconds(30))  // cancelled here
                        try await work.raw("INSERT INTO settings (key, value, updated_at) VALUES ('never', 'y', 0)").run()
                    }
                }
                for await _ in inside { break }
                cancelled.cancel()
                _ = await cancelled.result
                try await database.transaction { work in
                    try await work.raw("INSERT INTO settings (key, value, updated_at) VALUES ('next', 'z', 0)").run()
                }
                let keys = try await SettingsStore(database: database).all().map(\.key)
                #expect(keys == ["next"])
            }
        }
    }
}
