import Foundation
import ServiceLifecycle
import SQLKit
import Testing
import YizhanCore
import YizhanCredentials
import YizhanIdentity
import YizhanServer
import YizhanStorage
import YizhanTesting

/// At shutdown, the token pool's service (which `yizhan serve` stops just before the database)
/// returns only once the fetch in flight is stored.
@Suite(.timeLimit(.minutes(2)))
struct TokenPoolServiceTests {
    @Test(arguments: TestEngines.all)
    func aFetchInFlightAtShutdownIsStoredBeforeTheServiceStops(engine: DatabaseEngine) async throws {
        try await withServerDependencies(engine) { dependencies, tenant in
            let database = dependencies.database
            let app = try await dependencies.credentials.apps.create(
                .init(name: "WeCom", provider: .wecom, credentials: ["corp_id": "wwshutdown", "agent_id": "1000002", "secret": "ShutdownSecret1"]),
                tenantID: tenant)
            let pool = dependencies.credentials.tokens
            let (started, fetchStarted) = AsyncStream.makeStream(of: Void.self)
            let (gate, opener) = AsyncStream.makeStream(of: Void.self)
            let caller = Task {
                try await pool.token(TokenKey(appID: app.id, kind: .wecom)) {
                    fetchStarted.yield()
                    for await _ in gate { break }
                    return FetchedToken(token: "token-fetched-at-shutdown", expiresIn: 7200)
                }
            }
            for await _ in started { break }

            let group = ServiceGroup(configuration: .init(services: [TokenPoolService(tokens: pool)], logger: quietLogger))
            await group.triggerGracefulShutdown()
            // The fetch answers a moment after shutdown began; the service must wait for it.
            Task {
                try await Task.sleep(for: .milliseconds(300))
                opener.yield()
            }
            try await group.run()
            let version = try await database.withConnection { work in
                try await work.raw("SELECT version FROM provider_tokens WHERE app_id = \(bind: app.id)").first()?
                    .decode(column: "version", as: Int64.self)
            }
            #expect(version == 1, "the service stopped before the fetch was stored")
            #expect(try await caller.value == "token-fetched-at-shutdown")
        }
    }
}
