import Foundation
import Testing
import YizhanCore
import YizhanCredentials
import YizhanIdentity
import YizhanStorage
import YizhanTesting

/// Separate `yizhan serve` processes on one database share one token fetch per expiry: PostgreSQL
/// with 4 processes, SQLite with 2 on one file. Each process takes 100 concurrent provider calls
/// per app through its test route (`YIZHAN_TEST_ROUTES=1`); the sandbox counts the fetches.
///
/// The processes' pools run on the real clock, so their tokens look valid to them: moving the
/// sandbox's clock past the tokens' expiry makes the sandbox refuse them, and each process
/// discovers that on a call, invalidates the token and gets a new one, which exactly one of them
/// fetches. The name ends in `MultiProcessTests` so that ./scripts/test runs it alone, after the rest.
@Suite(.serialized, .timeLimit(.minutes(5)))
struct TokenPoolMultiProcessTests {
    static let callers = 100

    @Test(arguments: TestEngines.all)
    func serveProcessesFetchOncePerExpiryAcrossThreeExpiries(engine: DatabaseEngine) async throws {
        let processes = engine == .postgres ? 4 : 2
        try await withLiveSandbox { sandbox in
            try await ServedDatabase.with(engine) { served in
                var environment = served.environment
                environment["YIZHAN_MASTER_KEY"] = CredentialsFixture.masterKey
                environment["YIZHAN_TEST_ROUTES"] = "1"
                environment["YIZHAN_PROVIDERS_ALLOWED_HOSTS"] = "127.0.0.1"
                environment["YIZHAN_ROLE"] = "api"
                environment["YIZHAN_LOG_LEVEL"] = "warning"
                // The first server migrates the database; the others start on it at once.
                var servers = [try ServeProcess.start(environment, logDirectory: served.directory, name: "serve-0")]
                do {
                    try await servers[0].waitUntilReady()
                    for index in 1..<processes {
                        servers.append(try ServeProcess.start(environment, logDirectory: served.directory, name: "serve-\(index)"))
                    }
                    for server in servers { try await server.waitUntilReady() }
                    let database = try served.test.open()
                    try await database.whileRunning { [servers] in
                        try await Self.burstsFetchOncePerExpiry(servers, database: database, sandbox: sandbox)
                    }
                    for server in servers {
                        let status = await server.stop()
                        #expect(status == 0, "yizhan serve exited with \(status):\n\(server.logTail)")
                    }
                } catch {
                    for server in servers { server.kill() }
                    throw error
                }
            }
        }
    }

    /// Round 0 on cold pools, then three rounds each after the sandbox's clock moved past the
    /// tokens' expiry: every call succeeds, and each round adds exactly one fetch per app.
    static func burstsFetchOncePerExpiry(_ servers: [ServeProcess], database: any Database, sandbox: SandboxEndpoint) async throws {
        let (fixture, lark, wecom) = try await TokenPoolSandboxTests.apps(database, sandbox: sandbox)
        try await sandbox.control("/_sandbox/lark/users", #"{"open_id": "ou_burst", "name": "Burst", "email": "burst@example.com"}"#)
        try await sandbox.control(
            "/_sandbox/wecom/users", #"{"corp_id": "wwpool", "userid": "burst", "name": "Burst", "email": "burst@example.com"}"#)
        let key = try await fixture.identity.apiKeys.create(
            tenantID: lark.tenantID, name: "token burst", permissions: ["apps:write"], expiresAt: nil
        ).secret

        for round in 0...3 {
            if round > 0 { try await sandbox.control("/_sandbox/clock/advance", #"{"seconds": 7200}"#) }
            let answers = try await withThrowingTaskGroup(of: (status: Int, body: String).self) { group in
                for server in servers {
                    for app in [lark, wecom] {
                        group.addTask {
                            try await server.post(
                                "/_test/apps/\(app.id)/token-burst", apiKey: key, json: ["callers": callers, "email": "burst@example.com"])
                        }
                    }
                }
                return try await group.reduce(into: [(status: Int, body: String)]()) { $0.append($1) }
            }
            for (status, body) in answers {
                let json = (try? JSONSerialization.jsonObject(with: Data(body.utf8))) as? [String: Any]
                let data = json?["data"] as? [String: Any]
                #expect(status == 200, "round \(round): \(body)")
                #expect(data?["succeeded"] as? Int == callers, "round \(round): \(body)")
            }
            #expect(try await sandbox.stats("lark", "cli_pool")["token_fetches"] as? Int == round + 1, "round \(round)")
            #expect(try await sandbox.stats("wecom", "wwpool")["token_fetches"] as? Int == round + 1, "round \(round)")
        }
        // The expiries were found by calls the sandbox refused, as the test means them to be.
        let larkErrors = try await sandbox.stats("lark", "cli_pool")["errors"] as? [String: Int]
        let wecomErrors = try await sandbox.stats("wecom", "wwpool")["errors"] as? [String: Int]
        #expect((larkErrors?["99991663"] ?? 0) >= 3, "\(larkErrors ?? [:])")
        #expect((wecomErrors?["42001"] ?? 0) >= 3, "\(wecomErrors ?? [:])")
    }
}
