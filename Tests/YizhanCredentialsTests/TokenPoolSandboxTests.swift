import Foundation
import Hummingbird
import HummingbirdTesting
import LarkKit
import Logging
import ProviderSandbox
import Synchronization
import Testing
import WeComKit
import YizhanCore
import YizhanCredentials
import YizhanStorage
import YizhanTesting

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The token pool against the provider sandbox over real HTTP, on both engines: fetches are
/// counted by the sandbox (`GET /_sandbox/stats`), not by the pool.
@Suite(.timeLimit(.minutes(3)))
struct TokenPoolSandboxTests {
    @Test(arguments: TestEngines.all)
    func aThousandCallersOnAColdPoolMakeOneFetchAtTheSandbox(engine: DatabaseEngine) async throws {
        try await withSandboxAndDatabase(engine) { sandbox, database, _ in
            let (fixture, lark, wecom) = try await Self.apps(database, sandbox: sandbox)
            let larkTokens = fixture.credentials.tokens.larkTokens(for: lark)
            let wecomTokens = fixture.credentials.tokens.wecomTokens(for: wecom)
            let tokens = try await withThrowingTaskGroup(of: String.self) { group in
                for caller in 0..<1000 {
                    group.addTask { caller % 2 == 0 ? try await larkTokens.token() : try await wecomTokens.token() }
                }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(tokens.count == 2)
            #expect(try await sandbox.stats("lark", "cli_pool")["token_fetches"] as? Int == 1)
            #expect(try await sandbox.stats("wecom", "wwpool")["token_fetches"] as? Int == 1)

            // A restarted server finds the stored tokens and fetches none.
            let restarted = try CredentialsFixture(database: database)
            #expect(tokens.contains(try await restarted.credentials.tokens.larkTokens(for: lark).token()))
            #expect(tokens.contains(try await restarted.credentials.tokens.wecomTokens(for: wecom).token()))
            #expect(try await sandbox.stats("lark", "cli_pool")["token_fetches"] as? Int == 1)
            #expect(try await sandbox.stats("wecom", "wwpool")["token_fetches"] as? Int == 1)
        }
    }

    @Test(arguments: TestEngines.all)
    func aRefusedTokenThatLarkHandsBackIsFetchedOnceAndNotAgainForLaterRefusals(engine: DatabaseEngine) async throws {
        try await withSandboxAndDatabase(engine) { sandbox, database, _ in
            let (fixture, lark, _) = try await Self.apps(database, sandbox: sandbox)
            let client = try await fixture.credentials.tokens.larkClient(appID: lark.id, tenantID: lark.tenantID)
            _ = try await client.sendMessage(to: .openID("ou_alice"), content: .text("warm"))
            // An API that takes no tenant token answers 99991663 for a token that is good: Lark hands
            // the same token back while 30 minutes are left, so the client does not call again.
            for _ in 0..<3 {
                try await sandbox.control(
                    "/_sandbox/faults", #"{"provider": "lark", "app_id": "cli_pool", "kind": "force_error", "code": 99991663}"#)
                let refused = await #expect(throws: LarkError.self) {
                    try await client.sendMessage(to: .openID("ou_alice"), content: .text("refused"))
                }
                #expect(refused?.code == 99991663 && refused?.category == .authentication)
            }
            // One fetch for the warm-up, one after the first refusal, none for the later two.
            #expect(try await sandbox.stats("lark", "cli_pool")["token_fetches"] as? Int == 2)
            _ = try await client.sendMessage(to: .openID("ou_alice"), content: .text("still good"))
        }
    }

    @Test(arguments: TestEngines.all)
    func aSecretReplacedInAnotherProcessStopsThisProcessUsingItsTokenInMemory(engine: DatabaseEngine) async throws {
        try await withSandboxAndDatabase(engine) { sandbox, database, _ in
            let (fixture, lark, _) = try await Self.apps(database, sandbox: sandbox)
            let before = try await fixture.credentials.tokens.larkClient(appID: lark.id, tenantID: lark.tenantID)
            _ = try await before.sendMessage(to: .openID("ou_alice"), content: .text("with the old secret's token"))
            #expect(try await sandbox.stats("lark", "cli_pool")["token_fetches"] as? Int == 1)

            // Another server replaces the secret (the same value will do: the stored tokens go).
            let other = try CredentialsFixture(database: database)
            _ = try await other.credentials.apps.update(id: lark.id, tenantID: lark.tenantID, AppChanges(secrets: ["app_secret": "LARKpoolSECRET"]))

            // This server's next client knows of the change and does not use the token it holds.
            let after = try await fixture.credentials.tokens.larkClient(appID: lark.id, tenantID: lark.tenantID)
            _ = try await after.sendMessage(to: .openID("ou_alice"), content: .text("with the new secret's token"))
            #expect(try await sandbox.stats("lark", "cli_pool")["token_fetches"] as? Int == 2)
        }
    }

    @Test(arguments: TestEngines.all)
    func revokedTokensDuringABurstAreRefetchedOnceAndEveryCallSucceeds(engine: DatabaseEngine) async throws {
        try await withSandboxAndDatabase(engine) { sandbox, database, _ in
            let (fixture, lark, wecom) = try await Self.apps(database, sandbox: sandbox)
            let larkClient = try await fixture.credentials.tokens.larkClient(appID: lark.id, tenantID: lark.tenantID)
            let wecomClient = try await fixture.credentials.tokens.wecomClient(appID: wecom.id, tenantID: wecom.tenantID)
            _ = try await larkClient.sendMessage(to: .openID("ou_alice"), content: .text("warm"))
            _ = try await wecomClient.send(.text("warm"), to: .init(users: ["zhangsan"]))
            let done = Tally()
            let sent = try await withThrowingTaskGroup(of: Int.self) { group in
                for call in 0..<1000 {
                    group.addTask {
                        if call % 2 == 0 {
                            _ = try await larkClient.sendMessage(to: .openID("ou_alice"), content: .text("burst \(call)"))
                        } else {
                            _ = try await wecomClient.send(.text("burst \(call)"), to: .init(users: ["zhangsan"]))
                        }
                        // A fifth of the way in, every token of both apps is revoked.
                        if done.increment() == 200 {
                            try await sandbox.control("/_sandbox/faults", #"{"provider": "lark", "app_id": "cli_pool", "kind": "revoke_tokens"}"#)
                            try await sandbox.control("/_sandbox/faults", #"{"provider": "wecom", "app_id": "wwpool", "kind": "revoke_tokens"}"#)
                        }
                        return 1
                    }
                }
                return try await group.reduce(0, +)
            }
            #expect(sent == 1000)
            let larkStats = try await sandbox.stats("lark", "cli_pool")
            let wecomStats = try await sandbox.stats("wecom", "wwpool")
            #expect(larkStats["token_fetches"] as? Int == 2)
            #expect(wecomStats["token_fetches"] as? Int == 2)
            // The revocation did hit calls in flight (each retried once with the new token).
            #expect(((larkStats["errors"] as? [String: Int])?["99991663"] ?? 0) >= 1)
            #expect(((wecomStats["errors"] as? [String: Int])?["40014"] ?? 0) >= 1)
        }
    }

    @Test(arguments: TestEngines.all)
    func twoServersOnOneDatabaseFetchOncePerExpiryAcrossThreeExpiries(engine: DatabaseEngine) async throws {
        try await withSandboxAndDatabase(engine) { sandbox, database, test in
            let clock = ManualTimeSource()
            let (first, lark, wecom) = try await Self.apps(database, sandbox: sandbox, clock: clock)
            let other = try test.open()
            try await other.whileRunning {
                let second = try CredentialsFixture(database: other, clock: clock)
                let servers = [first, second]
                for expiry in 1...3 {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        for caller in 0..<400 {
                            let pool = servers[caller % 2].credentials.tokens
                            group.addTask {
                                if caller % 4 < 2 {
                                    _ = try await pool.larkTokens(for: lark).token()
                                } else {
                                    _ = try await pool.wecomTokens(for: wecom).token()
                                }
                            }
                        }
                        try await group.waitForAll()
                    }
                    #expect(try await sandbox.stats("lark", "cli_pool")["token_fetches"] as? Int == expiry)
                    #expect(try await sandbox.stats("wecom", "wwpool")["token_fetches"] as? Int == expiry)
                    clock.advance(by: .seconds(7200))
                    try await sandbox.control("/_sandbox/clock/advance", #"{"seconds": 7200}"#)
                }
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func verifySaysOkForGoodCredentialsAndGivesTheProvidersCodeForAWrongSecret(engine: DatabaseEngine) async throws {
        try await withSandboxAndDatabase(engine) { sandbox, database, _ in
            let (fixture, lark, wecom) = try await Self.apps(database, sandbox: sandbox)
            let verifier = fixture.credentials.verifier
            let good = try await verifier.verify(id: lark.id, tenantID: lark.tenantID)
            #expect(good.ok && good.providerCode == 0 && good.tokenExpiresIn == 7200)
            let goodWeCom = try await verifier.verify(id: wecom.id, tenantID: wecom.tenantID)
            #expect(goodWeCom.ok && goodWeCom.tokenExpiresIn == 7200)
            // The secret is good, but it is another app's of the corp: gettoken succeeds, the app's
            // own details (what a send would meet too) do not.
            let otherAgent = try await fixture.credentials.apps.create(
                .init(name: "WeCom other agent", provider: .wecom, baseURL: sandbox.baseURL,
                      credentials: ["corp_id": "wwpool", "agent_id": "1000099", "secret": "WECOMpoolSECRET"]), tenantID: wecom.tenantID)
            let mismatch = try await verifier.verify(id: otherAgent.id, tenantID: otherAgent.tenantID)
            #expect(!mismatch.ok && mismatch.providerCode == 301002, "\(mismatch)")
            for app in [lark, wecom] {
                let secret = app.provider == .lark ? "app_secret" : "secret"
                _ = try await fixture.credentials.apps.update(id: app.id, tenantID: app.tenantID, AppChanges(secrets: [secret: "WRONGsecret"]))
            }
            let wrong = try await verifier.verify(id: lark.id, tenantID: lark.tenantID)
            #expect(!wrong.ok && wrong.providerCode == 10014 && wrong.tokenExpiresIn == nil)
            let wrongWeCom = try await verifier.verify(id: wecom.id, tenantID: wecom.tenantID)
            #expect(!wrongWeCom.ok && wrongWeCom.providerCode == 40001)
            // Checked again at once, the wrong secret is not sent again: the pool's pause holds for
            // checks too (WeCom bans an address that keeps sending one).
            let refusalsBefore = try await sandbox.stats("wecom", "wwpool")["errors"] as? [String: Int]
            let again = try await verifier.verify(id: wecom.id, tenantID: wecom.tenantID)
            #expect(!again.ok && again.providerCode == 40001)
            #expect(try await sandbox.stats("wecom", "wwpool")["errors"] as? [String: Int] == refusalsBefore)
            #expect(refusalsBefore?["40001"] == 1)
            #expect(!wrong.message.contains("WRONGsecret") && !wrongWeCom.message.contains("WRONGsecret"))
        }
    }

    @Test(arguments: TestEngines.all)
    func aFetchPastItsDeadlineFailsRetryablyAndLeavesTheLeaseFree(engine: DatabaseEngine) async throws {
        try await withSandboxAndDatabase(engine) { sandbox, database, _ in
            let clock = ManualTimeSource(start: Date())
            let short = TokenPoolConfiguration(fetchDeadline: .milliseconds(500))
            let (fixture, lark, _) = try await Self.apps(database, sandbox: sandbox, clock: clock, tokenPool: short)
            try await sandbox.control("/_sandbox/faults", #"{"provider": "lark", "app_id": "cli_pool", "kind": "latency", "ms": 4000}"#)
            let slow = await #expect(throws: LarkError.self) {
                try await fixture.credentials.tokens.larkTokens(for: lark).token()
            }
            #expect(slow?.category == .retryable && slow?.message.contains("no token within") == true, "\(String(describing: slow))")
            #expect(slow.map { !"\($0)".contains("LARKpoolSECRET") } == true)

            try await sandbox.clearFaults()
            // The abandoned request is counted when the sandbox answers it, after its latency.
            try await TokenPoolTests.eventually { try await sandbox.stats("lark", "cli_pool")["token_fetches"] as? Int == 1 }
            clock.advance(by: .seconds(2))  // past the pause after one failed fetch
            // Another process takes the lease at once: the failed fetch gave it back.
            let other = try CredentialsFixture(database: database, clock: clock, tokenPool: short)
            let token = try await other.credentials.tokens.larkTokens(for: lark).token()
            #expect(try await fixture.credentials.tokens.larkTokens(for: lark).token() == token)
            #expect(try await sandbox.stats("lark", "cli_pool")["token_fetches"] as? Int == 2)
        }
    }

    // MARK: Helpers

    /// A Lark app and a WeCom app registered both at the sandbox and in Yizhan (pointing at it).
    static func apps(
        _ database: any Database, sandbox: SandboxEndpoint, clock: any TimeSource = SystemTimeSource(),
        tokenPool: TokenPoolConfiguration = .init()
    ) async throws -> (CredentialsFixture, ProviderApp, ProviderApp) {
        try await sandbox.control("/_sandbox/lark/apps", #"{"app_id": "cli_pool", "app_secret": "LARKpoolSECRET", "rate_limits": false}"#)
        try await sandbox.control("/_sandbox/lark/users", #"{"open_id": "ou_alice", "name": "Alice"}"#)
        try await sandbox.control("/_sandbox/wecom/apps", #"{"corp_id": "wwpool", "agent_id": 1000002, "secret": "WECOMpoolSECRET"}"#)
        try await sandbox.control("/_sandbox/wecom/users", #"{"corp_id": "wwpool", "userid": "zhangsan", "name": "张三"}"#)
        let fixture = try CredentialsFixture(database: database, clock: clock, tokenPool: tokenPool)
        let tenant = try await fixture.tenant("acme")
        let lark = try await fixture.credentials.apps.create(
            .init(name: "Lark", provider: .lark, baseURL: sandbox.baseURL,
                  credentials: ["app_id": "cli_pool", "app_secret": "LARKpoolSECRET"]), tenantID: tenant)
        let wecom = try await fixture.credentials.apps.create(
            .init(name: "WeCom", provider: .wecom, baseURL: sandbox.baseURL,
                  credentials: ["corp_id": "wwpool", "agent_id": "1000002", "secret": "WECOMpoolSECRET"]), tenantID: tenant)
        return (fixture, lark, wecom)
    }
}

/// A running sandbox's base URL and its control API. The control calls go over URLSession, not
/// the HTTP client the pool's calls queue in, so a fault lands in the middle of a burst.
struct SandboxEndpoint: Sendable {
    let baseURL: String

    func control(_ path: String, _ json: String) async throws {
        var request = URLRequest(url: URL(string: baseURL + path)!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(json.utf8)
        let (_, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        #expect(status < 300, "\(path) answered \(status)")
    }

    /// Clears every fault (`DELETE /_sandbox/faults`).
    func clearFaults() async throws {
        var request = URLRequest(url: URL(string: baseURL + "/_sandbox/faults")!)
        request.httpMethod = "DELETE"
        _ = try await URLSession.shared.data(for: request)
    }

    func stats(_ provider: String, _ appID: String) async throws -> [String: Any] {
        let url = URL(string: baseURL + "/_sandbox/stats?provider=\(provider)&app_id=\(appID)")!
        let (data, _) = try await URLSession.shared.data(from: url)
        return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
    }
}

/// A live sandbox on a loopback port and a fresh test database.
func withSandboxAndDatabase(
    _ engine: DatabaseEngine, _ body: @Sendable (SandboxEndpoint, any Database, TestDatabase) async throws -> Void
) async throws {
    try await withLiveSandbox { endpoint in
        try await TestDatabase.with(engine, migrations: credentialsMigrations) { database, test in
            try await body(endpoint, database, test)
        }
    }
}

/// A live sandbox on a loopback port.
func withLiveSandbox(_ body: @Sendable (SandboxEndpoint) async throws -> Void) async throws {
    let sandbox = ProviderSandbox()
    var logger = Logger(label: "sandbox.test")
    logger.logLevel = .warning
    try await sandbox.application(port: 0, logger: logger).test(.live) { client in
        try await body(SandboxEndpoint(baseURL: "http://127.0.0.1:\(client.port!)"))
    }
}

/// A count shared by concurrent tasks.
final class Tally: Sendable {
    private let value = Mutex(0)

    /// Adds one and returns the new count.
    func increment() -> Int {
        value.withLock { count in
            count += 1
            return count
        }
    }
}
