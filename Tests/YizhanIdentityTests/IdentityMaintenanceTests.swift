import Foundation
import SQLKit
import Testing
import YizhanCore
@testable import YizhanIdentity
import YizhanStorage
import YizhanTesting

@Suite(.timeLimit(.minutes(2)))
struct IdentityMaintenanceTests {
    @Test(arguments: TestEngines.all)
    func pruningDeletesExpiredTokensIdleCountersAndOldAuditEntriesOnly(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, _ in
            let fixture = IdentityFixture(database: database)
            _ = try await fixture.tenant("acme")
            let old = try await fixture.login("acme", "owner@acme.test")
            _ = try? await fixture.identity.auth.login(tenantCode: "acme", email: "ghost@acme.test", password: "wrong")
            fixture.clock.advance(by: .seconds(8 * 86_400))  // past the 7-day refresh lifetime
            let fresh = try await fixture.login("acme", "owner@acme.test")
            func count(_ table: String) async throws -> Int {
                try await database.withConnection { work in
                    try await work.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()!.decode(column: "n", as: Int.self)
                }
            }
            let auditBefore = try await count("audit_logs")
            let report = try await fixture.identity.maintenance.prune(auditRetention: .seconds(86_400))
            #expect(report.refreshTokens == 1)
            #expect(report.throttleCounters == 1)  // the made-up account's counter, idle for days
            #expect(report.auditEntries >= 1)
            #expect(try await count("audit_logs") == auditBefore - report.auditEntries)
            #expect(try await count("audit_logs") >= 1)  // the fresh login's entry stays
            _ = old
            _ = try await fixture.identity.auth.refresh(fresh.pair.refreshToken)
            #expect(try await fixture.identity.maintenance.prune(auditRetention: nil).auditEntries == 0)
        }
    }
}
