import Foundation
import Hummingbird
import HummingbirdTesting
import LarkKit
import Logging
import ProviderSandbox
import SQLKit
import Testing
import YizhanCore
import YizhanCredentials
import YizhanStorage
import YizhanTesting

/// A marketplace app's tokens from the pool against the sandbox, on both engines: the app_ticket
/// kept in the database buys one app token, which buys a tenant token per `tenant_key`. Calls are
/// counted by the sandbox (`GET /_sandbox/stats`).
@Suite(.timeLimit(.minutes(3)))
struct MarketplaceTokenTests {
    static let resend = "/open-apis/auth/v3/app_ticket/resend"
    static let appToken = "/open-apis/auth/v3/app_access_token"
    static let tenantToken = "/open-apis/auth/v3/tenant_access_token"

    @Test(arguments: TestEngines.all)
    func withoutATicketTheFetchAsksForOneThenTwoTenantsShareOneAppToken(engine: DatabaseEngine) async throws {
        try await withMarketplace(engine) { sandbox, fixture, app, pushed in
            let pool = fixture.credentials.tokens
            let tenantA = pool.larkMarketplaceTokens(for: app, tenantKey: "tenant-a")
            for _ in 0..<2 {
                let waiting = await #expect(throws: LarkError.self) { try await tenantA.token() }
                #expect(waiting?.category == .retryable)
                #expect(waiting?.code == LarkAppTokens.appTicketInvalid)
            }
            // Two failed fetches, one resend (throttled), and nothing bought without a ticket.
            #expect(try await Self.calls(sandbox) == [Self.resend: 1])

            // Lark pushes the ticket; the callback receiver keeps it.
            let ticket = try await pushed.next()
            try await fixture.credentials.tickets.receive(ticket, appID: app.id, tenantID: app.tenantID)

            let tokens = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<200 { group.addTask { try await tenantA.token() } }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(tokens.count == 1)
            let tokenB = try await pool.larkMarketplaceTokens(for: app, tenantKey: "tenant-b").token()
            #expect(!tokens.contains(tokenB) && tokenB.hasPrefix("t-"))
            #expect(try await Self.calls(sandbox) == [Self.resend: 1, Self.appToken: 1, Self.tenantToken: 2])

            // The tenant token sends, and another process (a fresh pool) finds every token stored.
            let client = try await pool.larkClient(appID: app.id, tenantID: app.tenantID, tenantKey: "tenant-a")
            _ = try await client.sendMessage(to: .openID("ou_alice"), content: .text("来自应用商店应用"))
            let restarted = try CredentialsFixture(database: fixture.database)
            #expect(tokens.contains(try await restarted.credentials.tokens.larkMarketplaceTokens(
                for: app, tenantKey: "tenant-a").token()))
            #expect(try await Self.calls(sandbox)[Self.appToken] == 1)

            // A tenant that did not install the app is Lark's permanent refusal.
            let stranger = await #expect(throws: LarkError.self) {
                try await pool.larkMarketplaceTokens(for: app, tenantKey: "tenant-z").token()
            }
            #expect(stranger?.code == 10013 && stranger?.category == .permanent)
        }
    }

    @Test(arguments: TestEngines.all)
    func aTicketLarkRefusesIsDroppedAndAResendIsRequested(engine: DatabaseEngine) async throws {
        try await withMarketplace(engine) { sandbox, fixture, app, pushed in
            try await fixture.credentials.tickets.receive("forged-ticket-0001", appID: app.id, tenantID: app.tenantID)
            let tokens = fixture.credentials.tokens.larkMarketplaceTokens(for: app, tenantKey: "tenant-a")
            let refused = await #expect(throws: LarkError.self) { try await tokens.token() }
            #expect(refused?.category == .retryable && refused?.code == LarkAppTokens.appTicketInvalid)
            #expect(try await Self.calls(sandbox) == [Self.appToken: 1, Self.resend: 1])
            #expect(try await Self.storedTicket(fixture.database, app.id) == "")

            let ticket = try await pushed.next()
            try await fixture.credentials.tickets.receive(ticket, appID: app.id, tenantID: app.tenantID)
            #expect(try await tokens.token().hasPrefix("t-"))
            #expect(try await Self.calls(sandbox) == [Self.appToken: 2, Self.resend: 1, Self.tenantToken: 1])
        }
    }

    @Test(arguments: TestEngines.all)
    func aRevokedAppTokenIsReplacedOnceAndTheTenantTokenFetchedAgain(engine: DatabaseEngine) async throws {
        try await withMarketplace(engine) { sandbox, fixture, app, pushed in
            let pool = fixture.credentials.tokens
            _ = await #expect(throws: LarkError.self) { try await pool.larkMarketplaceAppTokens(for: app).token() }
            try await fixture.credentials.tickets.receive(try await pushed.next(), appID: app.id, tenantID: app.tenantID)
            let appToken = try await pool.larkMarketplaceAppTokens(for: app).token()
            // Every token of the app stops working; the pool still holds the app token as fresh.
            try await sandbox.control("/_sandbox/faults", #"{"provider": "lark", "app_id": "cli_market", "kind": "revoke_tokens"}"#)
            let tenantToken = try await pool.larkMarketplaceTokens(for: app, tenantKey: "tenant-b").token()
            #expect(tenantToken.hasPrefix("t-"))
            #expect(try await pool.larkMarketplaceAppTokens(for: app).token() != appToken)
            let stats = try await sandbox.stats("lark", "cli_market")
            #expect((stats["calls"] as? [String: Int])?[Self.appToken] == 2)
            #expect((stats["calls"] as? [String: Int])?[Self.tenantToken] == 2)
            #expect((stats["errors"] as? [String: Int])?["99991664"] == 1)
        }
    }

    @Test(arguments: TestEngines.all)
    func theNewestTicketWinsAndIsSealedAtRest(engine: DatabaseEngine) async throws {
        try await withMarketplace(engine) { _, fixture, app, _ in
            try await fixture.credentials.tickets.store("TICKETnumberOne", appID: app.id, tenantID: app.tenantID)
            try await fixture.credentials.tickets.store("TICKETnumberTwo", appID: app.id, tenantID: app.tenantID)
            let sealed = try await Self.storedTicket(fixture.database, app.id)
            #expect(!sealed.contains("TICKETnumber"))
            let vault = try SecretVault(masterKeys: CredentialsFixture.masterKey)
            #expect(try vault.open(sealed, purpose: "apps/\(app.id)/tokens/lark_app_ticket/") == "TICKETnumberTwo")
            // Bound to its row: it does not open as another app's ticket.
            #expect(throws: (any Error).self) { try vault.open(sealed, purpose: "apps/app_other/tokens/lark_app_ticket/") }

            let selfBuilt = try await fixture.credentials.apps.create(SampleApps.lark, tenantID: app.tenantID)
            let wrongProvider = await yizhanError { try await fixture.credentials.tickets.store("T1", appID: selfBuilt.id, tenantID: app.tenantID) }
            #expect(wrongProvider?.code == .validationError && wrongProvider?.details["field"] == .string("provider"))
            let malformed = await yizhanError { try await fixture.credentials.tickets.store("two words", appID: app.id, tenantID: app.tenantID) }
            #expect(malformed?.code == .validationError && malformed?.details["field"] == .string("app_ticket"))
            let other = try await fixture.tenant("other")
            let elsewhere = await yizhanError { try await fixture.credentials.tickets.store("T1", appID: app.id, tenantID: other) }
            #expect(elsewhere?.code == .notFound)
            _ = try await fixture.credentials.apps.update(id: app.id, tenantID: app.tenantID, AppChanges(status: .disabled))
            let disabled = await yizhanError { try await fixture.credentials.tickets.store("T3", appID: app.id, tenantID: app.tenantID) }
            #expect(disabled?.code == .appDisabled)
        }
    }

    // MARK: Helpers

    /// The calls the sandbox counted for the marketplace app, by path.
    static func calls(_ sandbox: SandboxEndpoint) async throws -> [String: Int] {
        try await sandbox.stats("lark", "cli_market")["calls"] as? [String: Int] ?? [:]
    }

    /// The app's stored (sealed) ticket; empty once dropped.
    static func storedTicket(_ database: any Database, _ appID: String) async throws -> String {
        try await database.withConnection { work in
            try await work.raw("SELECT token FROM provider_tokens WHERE app_id = \(bind: appID) AND kind = 'lark_app_ticket'")
                .first()?.decode(column: "token", as: String.self) ?? "none"
        }
    }

    /// A sandbox whose marketplace app `cli_market` (installed by `tenant-a` and `tenant-b`) pushes
    /// its tickets to a receiver here, and the app registered in Yizhan on a fresh database.
    func withMarketplace(
        _ engine: DatabaseEngine, _ body: @Sendable (SandboxEndpoint, CredentialsFixture, ProviderApp, PushedTickets) async throws -> Void
    ) async throws {
        let pushed = PushedTickets()
        let receiver = try LarkEventReceiver(encryptKey: "market key", verificationToken: "vt_market")
        let router = Router()
        router.post("/lark/events") { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            guard case .event(let event) = try? receiver.receive(headers: headers, body: Array(buffer: bytes)) else {
                return Response(status: .unauthorized)
            }
            if let ticket = event.appTicket { await pushed.tickets.update(ticket) }
            return Response(status: .ok)
        }
        var logger = Logger(label: "receiver.test")
        logger.logLevel = .warning
        try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger).test(.live) { client in
            try await withSandboxAndDatabase(engine) { sandbox, database, _ in
                try await sandbox.control("/_sandbox/lark/apps", """
                    {"app_id": "cli_market", "app_secret": "MARKETsecret", "marketplace": true, "tenant_keys": ["tenant-a", "tenant-b"],
                     "encrypt_key": "market key", "verification_token": "vt_market", "rate_limits": false,
                     "event_url": "http://127.0.0.1:\(client.port!)/lark/events"}
                    """)
                try await sandbox.control("/_sandbox/lark/users", #"{"open_id": "ou_alice", "name": "Alice"}"#)
                let fixture = try CredentialsFixture(database: database)
                let tenant = try await fixture.tenant("acme")
                let app = try await fixture.credentials.apps.create(
                    .init(name: "Market", provider: .larkMarketplace, baseURL: sandbox.baseURL,
                          credentials: ["app_id": "cli_market", "app_secret": "MARKETsecret"]), tenantID: tenant)
                try await body(sandbox, fixture, app, pushed)
            }
        }
    }
}

/// The tickets the sandbox pushed to the test's event receiver.
struct PushedTickets: Sendable {
    let tickets = InMemoryLarkAppTicketStore()

    /// Waits (up to 10 s) for a pushed ticket, and takes it.
    func next() async throws -> String {
        for _ in 0..<200 {
            if let ticket = await tickets.current {
                await tickets.invalidate(ticket)
                return ticket
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CancellationError()
    }
}
