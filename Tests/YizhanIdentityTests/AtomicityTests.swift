import Foundation
import SQLKit
import Testing
import YizhanCore
@testable import YizhanIdentity
import YizhanStorage
import YizhanTesting

/// An action and its audit entry commit together: when the audit insert fails, the action is not there.
@Suite(.timeLimit(.minutes(2)))
struct AtomicityTests {
    /// Makes every audit insert fail, as a full disk or a broken audit table would.
    static func breakTheAuditLog(_ database: any Database) async throws {
        try await database.withConnection { work in
            switch work.engine {
            case .sqlite:
                try await work.raw("""
                    CREATE TRIGGER audit_refused BEFORE INSERT ON audit_logs BEGIN SELECT RAISE(ABORT, 'audit refused'); END
                    """).run()
            case .postgres:
                try await work.raw("""
                    CREATE FUNCTION audit_refused() RETURNS trigger AS $$ BEGIN RAISE EXCEPTION 'audit refused'; END $$ LANGUAGE plpgsql
                    """).run()
                try await work.raw("""
                    CREATE TRIGGER audit_refused BEFORE INSERT ON audit_logs FOR EACH ROW EXECUTE FUNCTION audit_refused()
                    """).run()
            }
        }
    }

    static func count(_ table: String, _ database: any Database) async throws -> Int {
        try await database.withConnection { work in
            try await work.raw("SELECT COUNT(*) AS n FROM \(unsafeRaw: table)").first()?.decode(column: "n", as: Int.self) ?? -1
        }
    }

    @Test(arguments: TestEngines.all)
    func whenTheAuditInsertFailsNoActionIsLeftBehind(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, _ in
            let fixture = IdentityFixture(database: database)
            let (tenant, owner) = try await fixture.tenant("acme")
            let (pair, principal) = try await fixture.login("acme", "owner@acme.test")
            let before = try await ["tenants", "users", "api_keys", "roles", "refresh_tokens"].asyncMap { try await Self.count($0, database) }
            try await Self.breakTheAuditLog(database)

            await #expect(throws: (any Error).self) {
                _ = try await fixture.identity.tenants.create(code: "bravo", name: "B", quotas: .init(), owner: .init(email: "o@b.test", password: IdentityFixture.password))
            }
            await #expect(throws: (any Error).self) {
                _ = try await fixture.identity.users.create(by: principal, email: "u@acme.test", password: IdentityFixture.password, name: "U", roles: [])
            }
            await #expect(throws: (any Error).self) {
                _ = try await fixture.identity.apiKeys.create(by: principal, name: "ci", permissions: ["users:read"], expiresAt: nil)
            }
            await #expect(throws: (any Error).self) {
                _ = try await fixture.identity.roles.create(by: principal, name: "hr", description: nil, permissions: ["users:read"])
            }
            await #expect(throws: (any Error).self) {
                _ = try await fixture.identity.auth.login(tenantCode: "acme", email: "owner@acme.test", password: IdentityFixture.password)
            }
            await #expect(throws: (any Error).self) {
                try await fixture.identity.users.changeOwnPassword(by: principal, current: IdentityFixture.password, new: "another long passphrase")
            }
            await #expect(throws: (any Error).self) {
                _ = try await fixture.identity.tenants.update(id: tenant.id, .init(status: .suspended))
            }
            let after = try await ["tenants", "users", "api_keys", "roles", "refresh_tokens"].asyncMap { try await Self.count($0, database) }
            #expect(after == before)
            // The password and the session are as they were.
            fixture.identity.principals.clearCache()
            #expect(try await fixture.identity.principals.resolve(pair.accessToken).userID == owner.id)
            #expect(try await fixture.identity.tenants.tenant(id: tenant.id)?.status == .active)
        }
    }
}

extension Array {
    func asyncMap<Mapped>(_ transform: (Element) async throws -> Mapped) async rethrows -> [Mapped] {
        var result: [Mapped] = []
        for element in self { result.append(try await transform(element)) }
        return result
    }
}
