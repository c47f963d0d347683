import Testing
import YizhanStorage
import YizhanTesting

@Suite(.timeLimit(.minutes(2)))
struct SettingsStoreTests {
    @Test(arguments: TestEngines.all)
    func setReplacesAndRemoveDeletes(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: SettingsSchema.migrations) { database, _ in
            let store = SettingsStore(database: database)
            #expect(try await store.value(for: "greeting") == nil)
            try await store.set("你好", for: "greeting")
            try await store.set("hello", for: "greeting")
            #expect(try await store.value(for: "greeting") == "hello")
            try await store.set("1", for: "another")
            #expect(try await store.all().map(\.key) == ["another", "greeting"])
            #expect(try await store.remove("greeting"))
            #expect(try await !store.remove("greeting"))
            #expect(try await store.value(for: "greeting") == nil)
        }
    }

    @Test(arguments: TestEngines.all)
    func concurrentSetIfAbsentAgreesOnOneWinner(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: SettingsSchema.migrations) { database, _ in
            let store = SettingsStore(database: database)
            let results = try await withThrowingTaskGroup(of: String.self) { group in
                for index in 0..<20 {
                    group.addTask { try await store.valueSettingIfAbsent("candidate-\(index)", for: "instance.id") }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(results.count == 1)
            #expect(try await store.value(for: "instance.id") == results.first)
        }
    }

    @Test(arguments: TestEngines.all)
    func valuesSurviveReopeningTheDatabase(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: SettingsSchema.migrations) { database, test in
            try await SettingsStore(database: database).set("kept", for: "durable")
            let reopened = try test.open()
            let value = try await reopened.whileRunning { try await SettingsStore(database: reopened).value(for: "durable") }
            #expect(value == "kept")
        }
    }

    @Test(arguments: TestEngines.all)
    func emptyAndOverlongKeysAreRejected(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: SettingsSchema.migrations) { database, _ in
            let store = SettingsStore(database: database)
            await #expect(throws: SettingsError.invalidKey) { try await store.set("x", for: "") }
            await #expect(throws: SettingsError.invalidKey) {
                try await store.set("x", for: String(repeating: "k", count: SettingsStore.maximumKeyLength + 1))
            }
            let remaining = try await store.all()
            #expect(remaining.isEmpty)
        }
    }
}
