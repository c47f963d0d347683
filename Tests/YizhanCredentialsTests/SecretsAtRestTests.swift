import Foundation
import SQLKit
import Testing
import YizhanCore
import YizhanCredentials
import YizhanStorage
import YizhanTesting

/// ProviderApp secrets and the provider tokens the pool stores are sealed at rest: not in the
/// database's files or dumps, not openable without the key that sealed them, not movable between rows.
@Suite
struct SecretsAtRestTests {
    @Test(arguments: TestEngines.all)
    func aDumpOfTheDatabaseHoldsNoSecretInClearText(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, test in
            let fixture = try CredentialsFixture(database: database)
            let tenant = try await fixture.tenant("acme")
            for registration in SampleApps.all { _ = try await fixture.credentials.apps.create(registration, tenantID: tenant) }
            let app = try await fixture.credentials.apps.list(tenantID: tenant, provider: .wecom, status: nil, page: .init()).items[0]
            _ = try await fixture.credentials.apps.update(id: app.id, tenantID: tenant, AppChanges(secrets: ["secret": "ROTATEDsecret"]))

            let dump = try Self.dump(test)
            #expect(dump.contains("wwcorp01"), "the dump must hold the apps, or the test proves nothing")
            for secret in SampleApps.secrets + ["ROTATEDsecret"] {
                #expect(!dump.contains(secret), "the dump holds \(secret) in clear text")
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func aDumpHoldsNoProviderTokenTheTokenPoolStored(engine: DatabaseEngine) async throws {
        try await withSandboxAndDatabase(engine) { sandbox, database, test in
            let (fixture, lark, wecom) = try await TokenPoolSandboxTests.apps(database, sandbox: sandbox)
            let pool = fixture.credentials.tokens
            let tokens = [
                try await pool.larkTokens(for: lark).token(),
                try await pool.larkTokens(for: lark, kind: .larkApp).token(),
                try await pool.wecomTokens(for: wecom).token(),
            ]
            #expect(Set(tokens).count == 3)
            let stored = try await database.withConnection { work in
                try await work.raw("SELECT COUNT(*) AS n FROM provider_tokens WHERE version > 0").first()?.decode(column: "n", as: Int.self)
            }
            #expect(stored == 3, "the pool must have stored the tokens, or the test proves nothing")

            let dump = try Self.dump(test)
            #expect(dump.contains("lark_tenant") && dump.contains("wecom"), "the dump must hold the token rows")
            for token in tokens + ["LARKpoolSECRET", "WECOMpoolSECRET"] {
                #expect(!dump.contains(token), "the dump holds a provider token or secret in clear text")
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func withoutTheSealingKeyTheAppSaysWhichKeyIsMissingAndNothingOpensWrong(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, _ in
            let fixture = try CredentialsFixture(database: database)
            let tenant = try await fixture.tenant("acme")
            let app = try await fixture.credentials.apps.create(SampleApps.lark, tenantID: tenant)

            let rotatedAway = try fixture.with(masterKeys: CredentialsFixture.otherKey)
            let missing = await yizhanError { _ = try await rotatedAway.credentials.apps.credentials(id: app.id, tenantID: tenant) }
            #expect(missing?.code == .masterKeyMissing && missing?.code.httpStatus == 503)
            #expect(missing?.details["key_id"] != nil)
            // Reading the app itself needs no key.
            #expect(try await rotatedAway.credentials.apps.app(id: app.id, tenantID: tenant).id == app.id)

            // With the new key first and the old one after it, old secrets still open and new ones seal under the new key.
            let rotating = try fixture.with(masterKeys: CredentialsFixture.otherKey + "," + CredentialsFixture.masterKey)
            #expect(try await rotating.credentials.apps.credentials(id: app.id, tenantID: tenant).secrets["app_secret"] == "LARKSECRETvalue123")

            let noKey = try fixture.with(masterKeys: nil)
            let refused = await yizhanError { _ = try await noKey.credentials.apps.create(SampleApps.wecomRobot, tenantID: tenant) }
            #expect(refused?.code == .masterKeyMissing)
            #expect(refused?.message.contains("yizhan keys generate") == true)
        }
    }

    @Test(arguments: TestEngines.all)
    func aSealedValueMovedToAnotherAppsRowDoesNotOpen(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, _ in
            let fixture = try CredentialsFixture(database: database)
            let tenant = try await fixture.tenant("acme")
            let first = try await fixture.credentials.apps.create(SampleApps.wecomRobot, tenantID: tenant)
            let second = try await fixture.credentials.apps.create(SampleApps.dingtalkRobot, tenantID: tenant)
            try await database.withConnection { work in
                try await work.raw("""
                    UPDATE apps SET secrets = (SELECT secrets FROM apps WHERE id = \(bind: first.id)) WHERE id = \(bind: second.id)
                    """).run()
            }
            let error = await yizhanError { _ = try await fixture.credentials.apps.credentials(id: second.id, tenantID: tenant) }
            #expect(error?.code == .masterKeyMissing)
            #expect(try await fixture.credentials.apps.credentials(id: first.id, tenantID: tenant).secrets["key"] == "WECOMROBOTkey0001")
        }
    }

    /// Everything the engine holds for the test's database, as text: SQLite's files (database and
    /// WAL) and `sqlite3 .dump` when the tool is there; `pg_dump` of the test's schema.
    static func dump(_ test: TestDatabase) throws -> String {
        switch test.engine {
        case .sqlite:
            var text = ""
            for suffix in ["", "-wal"] {
                if let data = FileManager.default.contents(atPath: test.location + suffix) {
                    text += String(decoding: data, as: UTF8.self)
                }
            }
            if FileManager.default.isExecutableFile(atPath: "/usr/bin/sqlite3") {
                text += try run("/usr/bin/sqlite3", [test.location, ".dump"])
            }
            return text
        case .postgres:
            let url = try #require(URLComponents(string: test.location))
            let tool = try #require(postgresTool("pg_dump"), "pg_dump is not installed")
            var arguments = ["--no-owner", "-h", url.host ?? "127.0.0.1", "-p", String(url.port ?? 5432), "-U", url.user ?? ""]
            arguments += ["-n", url.user ?? "", url.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))]
            return try run(tool, arguments)
        }
    }

    static func postgresTool(_ name: String) -> String? {
        let directories = ((try? FileManager.default.contentsOfDirectory(atPath: "/usr/lib/postgresql")) ?? []).sorted().reversed()
        return directories.map { "/usr/lib/postgresql/\($0)/bin/\(name)" }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(tool) failed")
        return String(decoding: data, as: UTF8.self)
    }
}
