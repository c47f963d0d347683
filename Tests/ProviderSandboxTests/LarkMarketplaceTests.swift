import Foundation
import Hummingbird
import HummingbirdTesting
import LarkKit
import Logging
import NIOCore
import ProviderSandbox
import Testing

/// The marketplace app flow: Lark pushes app_ticket (a v1 event) to the app, which buys app and
/// tenant tokens with it.
@Suite(.timeLimit(.minutes(1)))
struct LarkMarketplaceTests {
    /// Runs an event endpoint that stores pushed tickets, and a sandbox with a marketplace app
    /// pointing at it.
    func withMarketplace(_ body: @Sendable (String, InMemoryLarkAppTicketStore) async throws -> Void) async throws {
        let tickets = InMemoryLarkAppTicketStore()
        let receiver = try LarkEventReceiver(encryptKey: "market key", verificationToken: "vt_market")
        let router = Router()
        router.post("/lark/events") { request, _ -> Response in
            let bytes = try await request.body.collect(upTo: 1 << 20)
            var headers: [String: String] = [:]
            for field in request.headers { headers[field.name.canonicalName] = field.value }
            guard case .event(let event) = try? receiver.receive(headers: headers, body: Array(buffer: bytes)) else {
                return Response(status: .unauthorized)
            }
            if let ticket = event.appTicket, event.schema == "1.0" { await tickets.update(ticket) }
            return Response(status: .ok)
        }
        var logger = Logger(label: "receiver.test")
        logger.logLevel = .warning
        try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger).test(.live) { client in
            let seed = """
                {"lark": {"apps": [{"app_id": "cli_market", "app_secret": "market-secret", "marketplace": true, "tenant_keys": ["tenant-a"],
                                    "encrypt_key": "market key", "verification_token": "vt_market",
                                    "event_url": "http://127.0.0.1:\(client.port!)/lark/events"},
                                   {"app_id": "cli_self", "app_secret": "self-secret"}],
                          "users": [{"open_id": "ou_alice", "name": "Alice"}]}}
                """
            try await withSandbox(seed: seed) { _, baseURL in try await body(baseURL, tickets) }
        }
    }

    func configuration(_ baseURL: String) -> LarkClient.Configuration {
        .init(baseURL: baseURL, appID: "cli_market", appSecret: "market-secret", timeout: .seconds(10))
    }

    /// Waits (up to 5 s) for a pushed ticket other than `previous`.
    func awaitTicket(_ tickets: InMemoryLarkAppTicketStore, other previous: String? = nil) async throws -> String {
        for _ in 0..<100 {
            if let ticket = await tickets.current, ticket != previous { return ticket }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw CancellationError()
    }

    @Test
    func withoutATicketTheSourceAsksForOneThenSendsWithTheTenantToken() async throws {
        try await withMarketplace { baseURL, tickets in
            let source = LarkMarketplaceTokenSource(configuration: configuration(baseURL), tenantKey: "tenant-a", tickets: tickets)
            let client = LarkClient(configuration: configuration(baseURL), tokens: source)
            let waiting = await #expect(throws: LarkError.self) { try await client.sendMessage(to: .openID("ou_alice"), content: .text("x")) }
            #expect(waiting?.category == .retryable)
            _ = try await awaitTicket(tickets)
            let sent = try await client.sendMessage(to: .openID("ou_alice"), content: .text("来自应用商店应用"))
            #expect(sent.messageID.hasPrefix("om_"))
            #expect(try await source.token().hasPrefix("t-"))
        }
    }

    @Test
    func aStaleTicketIs10012AndIsReplacedByAResend() async throws {
        try await withMarketplace { baseURL, tickets in
            let api = LarkAppTokens(configuration: configuration(baseURL))
            try await api.resendAppTicket()
            let first = try await awaitTicket(tickets)
            let appToken = try await api.marketplaceAppToken(appTicket: first)
            #expect(appToken.token.hasPrefix("a-"))
            let tenant = try await api.marketplaceTenantToken(appAccessToken: appToken.token, tenantKey: "tenant-a")
            #expect(tenant.token.hasPrefix("t-"))
            let notInstalled = await #expect(throws: LarkError.self) { try await api.marketplaceTenantToken(appAccessToken: appToken.token, tenantKey: "tenant-b") }
            #expect(notInstalled?.code == 10013)
            let badAppToken = await #expect(throws: LarkError.self) { try await api.marketplaceTenantToken(appAccessToken: "a-forged", tenantKey: "tenant-a") }
            #expect(badAppToken?.code == 99991664)

            try await control(baseURL, "/_sandbox/clock/advance", #"{"seconds": 46800}"#)
            let stale = await #expect(throws: LarkError.self) { try await api.marketplaceAppToken(appTicket: first) }
            #expect(stale?.code == LarkAppTokens.appTicketInvalid)

            let source = LarkMarketplaceTokenSource(configuration: configuration(baseURL), tenantKey: "tenant-a", tickets: tickets)
            let refused = await #expect(throws: LarkError.self) { try await source.token() }
            #expect(refused?.category == .retryable)
            _ = try await awaitTicket(tickets, other: first)
            #expect(try await source.token().hasPrefix("t-"))
        }
    }

    @Test
    func aSelfBuiltAppCannotAskForATicketButGetsAnAppToken() async throws {
        try await withMarketplace { baseURL, _ in
            let api = LarkAppTokens(configuration: .init(baseURL: baseURL, appID: "cli_self", appSecret: "self-secret"))
            let refused = await #expect(throws: LarkError.self) { try await api.resendAppTicket() }
            #expect(refused?.code == 10016)
            let appToken = try await api.selfBuiltAppToken()
            #expect(appToken.expiresIn == 7200)
        }
    }
}
