import Logging
import SQLKit
import Synchronization
import Testing
import YizhanStorage
import YizhanTesting

@Suite(.timeLimit(.minutes(2)))
struct DatabaseTests {
    struct Boom: Error {}

    @Test(arguments: TestEngines.all)
    func transactionCommitsOnReturnAndRollsBackOnThrow(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: SettingsSchema.migrations) { database, _ in
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
        try await TestDatabase.with(engine, migrations: SettingsSchema.migrations) { database, _ in
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
        try await TestDatabase.with(engine, migrations: SettingsSchema.migrations) { database, _ in
            let during = try await database.withConnection { _ in await database.poolStatistics() }
            #expect(during.inUse == 1)
            let after = await database.poolStatistics()
            #expect(after.inUse == 0)
            #expect(after.maximum == 4)
        }
    }

    @Test(arguments: TestEngines.postgresOnly)
    func aLostDatabaseAnswersUnavailableAndRecoversWithoutRestart(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: SettingsSchema.migrations) { _, test in
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

    /// `whileRunning` (as `yizhan migrate` uses it) starts the body once the pool runs: postgres-nio
    /// warns about a lease made before, which every `yizhan migrate` printed.
    @Test(arguments: TestEngines.postgresOnly)
    func workBegunBesideRunFindsThePoolRunningAndNothingIsWarned(engine: DatabaseEngine) async throws {
        let test = try await TestDatabase.create(engine)
        let warnings = RecordedLog(minimumLevel: .warning)
        for _ in 0..<10 {
            let database = try test.open(logger: warnings.makeLogger(label: "test"))
            try await database.whileRunning { try await database.ping() }
        }
        try await test.remove()
        #expect(warnings.all == [])
    }

    /// Only that instant's false alarm is dropped: a lease while nothing runs the pool still warns.
    @Test(arguments: TestEngines.postgresOnly)
    func aLeaseWhileNothingRunsThePoolStillWarns(engine: DatabaseEngine) async throws {
        let test = try await TestDatabase.create(engine)
        let warnings = RecordedLog(minimumLevel: .warning)
        let database = try test.open(acquireTimeout: .milliseconds(300), logger: warnings.makeLogger(label: "test"))
        let error = await #expect(throws: DatabaseError.self) { try await database.ping() }
        #expect(error?.code == .unavailable)
        try await test.remove()
        #expect(warnings.all.contains { $0.hasPrefix("Trying to lease connection from `PostgresClient`") })
    }

    /// The SQL kits log every query with its bound values at `debug`. A setting can be a secret
    /// (the generated JWT signing key is one), so statements are logged as text only and no bound
    /// value may reach the log at any level.
    @Test(arguments: TestEngines.all)
    func boundValuesNeverReachTheLogEvenAtTrace(engine: DatabaseEngine) async throws {
        let test = try await TestDatabase.create(engine)
        let log = RecordedLog(minimumLevel: .trace)
        let secret = "signing-key-that-must-never-be-logged"
        let database = try test.open(logger: log.makeLogger(label: "test"))
        try await database.whileRunning {
            try await Migrator(database: database, migrations: SettingsSchema.migrations, logger: log.makeLogger(label: "test")).migrate()
            let settings = SettingsStore(database: database)
            try await settings.set(secret, for: "auth.jwt_signing_key")
            #expect(try await settings.value(for: "auth.jwt_signing_key") == secret)
        }
        try await test.remove()
        #expect(log.all.contains { $0.hasPrefix("query") && $0.contains("INSERT INTO settings") })  // the text is
        #expect(log.all.filter { $0.contains(secret) } == [])
    }

    /// A server restart closes the pool's idle connections under it, and for a moment the pool
    /// still hands them out. A query on such a connection must fail (the caller sees 503 and
    /// retries), not wait forever: postgres-nio drops a query written to a closed channel.
    @Test(arguments: TestEngines.postgresOnly)
    func aQueryOnAConnectionTheServerJustClosedFailsInsteadOfHanging(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: SettingsSchema.migrations) { database, test in
            for _ in 0..<20 {
                await withTaskGroup(of: Void.self) { group in  // four idle connections, or most of them
                    for _ in 0..<4 {
                        group.addTask { try? await database.withConnection { try await $0.raw("SELECT pg_sleep(0.01)").run() } }
                    }
                }
                async let sessionsEnded: Void = test.endSessions()
                let finished = await finishes(within: .seconds(30)) {
                    await withTaskGroup(of: Void.self) { group in
                        for _ in 0..<4 {
                            group.addTask { for _ in 0..<20 { try? await database.ping() } }
                        }
                    }
                }
                try await sessionsEnded
                try #require(finished, "a query on a connection the server had closed never returned")
            }
            try await eventually { try await database.ping() }
        }
    }
}

/// What loggers made by ``makeLogger(label:)`` logged at `minimumLevel` or above: each entry is the
/// message followed by its metadata.
final class RecordedLog: Sendable {
    private let minimumLevel: Logger.Level
    private let entries = Mutex<[String]>([])
    var all: [String] { entries.withLock { $0 } }

    init(minimumLevel: Logger.Level) {
        self.minimumLevel = minimumLevel
    }

    func makeLogger(label: String) -> Logger {
        var logger = Logger(label: label) { _ in Handler(recorder: self) }
        logger.logLevel = minimumLevel
        return logger
    }

    private struct Handler: LogHandler {
        let recorder: RecordedLog
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            guard event.level >= recorder.minimumLevel else { return }
            let entry = "\(event.message) \(metadata.merging(event.metadata ?? [:]) { $1 })"
            recorder.entries.withLock { $0.append(entry) }
        }
    }
}

/// Whether `work` finishes within `limit`. A `work` that never finishes is left behind instead of
/// awaited, so a hang fails the test that checks for it rather than the whole run.
func finishes(within limit: Duration, _ work: @escaping @Sendable () async -> Void) async -> Bool {
    let outcome = FirstOutcome()
    return await withCheckedContinuation { continuation in
        outcome.wait(with: continuation)
        let timer = Task {
            try? await Task.sleep(for: limit)
            outcome.resolve(false)
        }
        Task {
            await work()
            outcome.resolve(true)
            timer.cancel()
        }
    }
}

/// Resumes a continuation with the first outcome it is given and ignores the rest.
private final class FirstOutcome: Sendable {
    private let continuation = Mutex<CheckedContinuation<Bool, Never>?>(nil)
    func wait(with continuation: CheckedContinuation<Bool, Never>) { self.continuation.withLock { $0 = continuation } }
    func resolve(_ value: Bool) { continuation.withLock { $0.take() }?.resume(returning: value) }
}

/// Retries `body` for up to `attempts` × 250 ms until it stops throwing.
func eventually(attempts: Int = 40, _ body: () async throws -> Void) async throws {
    for attempt in 1...attempts {
        do { return try await body() } catch where attempt < attempts {
            try await Task.sleep(for: .milliseconds(250))
        }
    }
}
