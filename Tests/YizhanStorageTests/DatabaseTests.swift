import SQLKit
import Testing
import YizhanStorage
import YizhanTesting

@Suite(.timeLimit(.minutes(2)))
struct DatabaseTests {
    struct Boom: Error {}

    @Test(arguments: TestEngines.all)
    func transactionCommitsOnReturnAndRollsBackOnThrow(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            try await database.transaction { sql in
                try await sql.raw("INSERT INTO settings (key, value, updated_at) VALUES ('a', '1', 0)").run()
            }
            await #expect(throws: Boom.self) {
                try await database.transaction { sql in
                    try await sql.raw("INSERT INTO settings (key, value, updated_at) VALUES ('b', '2', 0)").run()
                    throw Boom()
                }
            }
            let keys = try await SettingsStore(database: database).all().map(\.key)
            #expect(keys == ["a"])
        }
    }

    @Test(arguments: TestEngines.all)
    func concurrentTransactionsAllCommit(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        try await database.transaction { sql in
                            try await sql.raw("INSERT INTO settings (key, value, updated_at) VALUES (\(bind: "k\(index)"), 'v', 0)").run()
                        }
                    }
                }
                try await group.waitForAll()
            }
            #expect(try await SettingsStore(database: database).all().count == 40)
        }
    }

    @Test(arguments: TestEngines.all)
    func poolStatisticsReportLeasedConnections(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { database, _ in
            let during = try await database.withConnection { _ in await database.poolStatistics() }
            #expect(during.inUse == 1)
            let after = await database.poolStatistics()
            #expect(after.inUse == 0)
            #expect(after.maximum == 4)
        }
    }

    @Test(arguments: TestEngines.postgresOnly)
    func aLostDatabaseAnswersUnavailableAndRecoversWithoutRestart(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine) { _, test in
            let database = try test.open(acquireTimeout: .seconds(2))
            try await database.whileRunning {
                try await database.ping()
                try await test.takeDatabaseAway()
                let error = try await #require(throws: DatabaseError.self) { try await database.ping() }
                #expect(error.code == .unavailable)
                try await test.giveDatabaseBack()
                try await eventually { try await database.ping() }
            }
        }
    }
}

/// Retries `body` for up to `attempts` × 250 ms until it stops throwing.
func eventually(attempts: Int = 40, _ body: () async throws -> Void) async throws {
    for attempt in 1...attempts {
        do { return try await body() } catch where attempt < attempts {
            try await Task.sleep(for: .milliseconds(250))
        }
    }
}
