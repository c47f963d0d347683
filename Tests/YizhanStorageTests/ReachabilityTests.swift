import Foundation
import Testing
import YizhanStorage
import YizhanStoragePostgres
import YizhanStorageSQLite
import YizhanTesting

@Suite(.timeLimit(.minutes(1)))
struct ReachabilityTests {
    @Test
    func aRefusedPostgresConnectionSaysSoWithoutThePassword() async throws {
        let error = try await RefusedPort.with { port in
            let database = PostgresDatabase(
                configuration: .init(
                    url: try PostgresURL("postgres://yizhan:topsecret@127.0.0.1:\(port)/none?sslmode=disable"),
                    acquireTimeout: .seconds(1)),
                logger: TestDatabase.logger)
            return try await database.whileRunning {
                try await #require(throws: DatabaseError.self) { try await database.checkReachable() }
            }
        }
        #expect(error.code == .unavailable)
        #expect(error.message == "connection refused")
        #expect(!error.description.contains("topsecret"))
    }

    @Test(arguments: TestEngines.postgresOnly)
    func anUnknownRoleGivesTheServersReason(engine: DatabaseEngine) async throws {
        var url = try PostgresURL(try #require(TestEngines.postgresURL))
        url.username = "yz_nobody_\(UInt32.random(in: 0...UInt32.max))"
        let database = PostgresDatabase(
            configuration: .init(url: try PostgresURL(url.connectionString), acquireTimeout: .seconds(1)),
            logger: TestDatabase.logger)
        let error = try await database.whileRunning {
            try await #require(throws: DatabaseError.self) { try await database.checkReachable() }
        }
        #expect(error.code == .unavailable)
        #expect(error.message.contains(url.username))
    }

    @Test(arguments: TestEngines.all)
    func aReachableDatabasePassesTheCheck(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: SettingsSchema.migrations) { database, _ in
            try await database.checkReachable()
        }
    }
}
