import Foundation
import Testing
import YizhanCore
@testable import YizhanIdentity
import YizhanStorage
import YizhanTesting

@Suite(.timeLimit(.minutes(3)))
struct AuthServiceTests {
    @Test(arguments: TestEngines.all)
    func loginIssuesTokensThatResolveToTheUser(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, _ in
            let fixture = IdentityFixture(database: database)
            let (tenant, owner) = try await fixture.tenant("acme")
            let (pair, principal) = try await fixture.login("ACME", " Owner@Acme.test ")
            #expect(pair.expiresIn == 900)
            #expect(pair.refreshToken.hasPrefix("yzr_"))
            #expect(principal.tenantID == tenant.id)
            #expect(principal.userID == owner.id)
            #expect(principal.has(.usersWrite))
            #expect(!principal.has(.tenantsWrite))
        }
    }

    @Test(arguments: TestEngines.all)
    func wrongPasswordUnknownEmailAndUnknownTenantAreTheSameError(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, _ in
            let fixture = IdentityFixture(database: database)
            _ = try await fixture.tenant("acme")
            let attempts: [(String, String, String)] = [
                ("acme", "owner@acme.test", "wrong password!!"),
                ("acme", "nobody@acme.test", IdentityFixture.password),
                ("nope", "owner@acme.test", IdentityFixture.password),
            ]
            var messages: Set<String> = []
            for (code, email, password) in attempts {
                let error = await yizhanError { _ = try await fixture.identity.auth.login(tenantCode: code, email: email, password: password) }
                #expect(error?.code == .unauthorized)
                messages.insert(error?.message ?? "")
            }
            #expect(messages.count == 1)
        }
    }

    @Test(arguments: TestEngines.all)
    func repeatedFailuresLockTheAccountEvenForTheRightPassword(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, _ in
            let fixture = IdentityFixture(database: database)
            _ = try await fixture.tenant("acme")
            for _ in 0..<(LoginThrottleStore.freeFailures + 4) {  // the last locks for 8 s: no race with a slow machine
                _ = await yizhanError { _ = try await fixture.identity.auth.login(tenantCode: "acme", email: "owner@acme.test", password: "not the password") }
            }
            let locked = await yizhanError { _ = try await fixture.login("acme", "owner@acme.test") }
            #expect(locked?.code == .rateLimited)
            #expect(locked?.headers["Retry-After"] != nil)
            // An unknown email is throttled the same way, so the lockout reveals nothing either.
            for _ in 0..<(LoginThrottleStore.freeFailures + 4) {  // the last locks for 8 s: no race with a slow machine
                _ = await yizhanError { _ = try await fixture.identity.auth.login(tenantCode: "acme", email: "ghost@acme.test", password: "not the password") }
            }
            let ghost = await yizhanError { _ = try await fixture.identity.auth.login(tenantCode: "acme", email: "ghost@acme.test", password: "x") }
            #expect(ghost?.code == .rateLimited)
        }
    }

    @Test(arguments: TestEngines.all)
    func refreshRotatesAndReuseRevokesTheWholeFamily(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, _ in
            let fixture = IdentityFixture(database: database)
            _ = try await fixture.tenant("acme")
            let (first, _) = try await fixture.login("acme", "owner@acme.test")
            let second = try await fixture.identity.auth.refresh(first.refreshToken)
            #expect(second.refreshToken != first.refreshToken)
            let third = try await fixture.identity.auth.refresh(second.refreshToken)
            fixture.identity.principals.clearCache()
            #expect(try await fixture.identity.principals.resolve(third.accessToken).userID != nil)

            // The first token again: theft. The family, including the newest token, is revoked.
            let reuse = await yizhanError { _ = try await fixture.identity.auth.refresh(first.refreshToken) }
            #expect(reuse?.code == .unauthorized)
            let after = await yizhanError { _ = try await fixture.identity.auth.refresh(third.refreshToken) }
            #expect(after?.code == .unauthorized)
            fixture.identity.principals.clearCache()
            let access = await yizhanError { _ = try await fixture.identity.principals.resolve(third.accessToken) }
            #expect(access?.code == .unauthorized)
        }
    }

    @Test(arguments: TestEngines.all)
    func concurrentRefreshesOfOneTokenLetAtMostOneWin(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, _ in
            let fixture = IdentityFixture(database: database)
            _ = try await fixture.tenant("acme")
            let (pair, _) = try await fixture.login("acme", "owner@acme.test")
            let wins = try await withThrowingTaskGroup(of: Bool.self) { group in
                for _ in 0..<8 {
                    group.addTask { (try? await fixture.identity.auth.refresh(pair.refreshToken)) != nil }
                }
                return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(wins <= 1)
        }
    }

    @Test(arguments: TestEngines.all)
    func logoutEndsOnlyThatSessionAndLogoutAllEndsEvery(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, _ in
            let fixture = IdentityFixture(database: database)
            _ = try await fixture.tenant("acme")
            let (a, principalA) = try await fixture.login("acme", "owner@acme.test")
            let (b, principalB) = try await fixture.login("acme", "owner@acme.test")
            try await fixture.identity.auth.logout(principalA)
            fixture.identity.principals.clearCache()
            #expect(await yizhanError { _ = try await fixture.identity.principals.resolve(a.accessToken) }?.code == .unauthorized)
            #expect(await yizhanError { _ = try await fixture.identity.auth.refresh(a.refreshToken) }?.code == .unauthorized)
            #expect(try await fixture.identity.principals.resolve(b.accessToken).userID != nil)

            try await fixture.identity.auth.logoutAll(principalB)
            fixture.identity.principals.clearCache()
            #expect(await yizhanError { _ = try await fixture.identity.principals.resolve(b.accessToken) }?.code == .unauthorized)
            #expect(await yizhanError { _ = try await fixture.identity.auth.refresh(b.refreshToken) }?.code == .unauthorized)
        }
    }

    @Test(arguments: TestEngines.all)
    func changingThePasswordRevokesEverySession(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, _ in
            let fixture = IdentityFixture(database: database)
            _ = try await fixture.tenant("acme")
            let (pair, principal) = try await fixture.login("acme", "owner@acme.test")
            let wrong = await yizhanError {
                try await fixture.identity.users.changeOwnPassword(by: principal, current: "not it at all", new: "a brand new passphrase")
            }
            #expect(wrong?.httpStatus == 422)
            try await fixture.identity.users.changeOwnPassword(by: principal, current: IdentityFixture.password, new: "a brand new passphrase")
            fixture.identity.principals.clearCache()
            #expect(await yizhanError { _ = try await fixture.identity.principals.resolve(pair.accessToken) }?.code == .unauthorized)
            #expect(await yizhanError { _ = try await fixture.identity.auth.refresh(pair.refreshToken) }?.code == .unauthorized)
            #expect(await yizhanError { _ = try await fixture.login("acme", "owner@acme.test") }?.code == .unauthorized)
            _ = try await fixture.login("acme", "owner@acme.test", password: "a brand new passphrase")
        }
    }

    @Test(arguments: TestEngines.all)
    func suspendedTenantIsRefusedAtLoginAndOnEveryCredential(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, _ in
            let fixture = IdentityFixture(database: database)
            let (tenant, _) = try await fixture.tenant("acme")
            let (pair, principal) = try await fixture.login("acme", "owner@acme.test")
            let (_, secret) = try await fixture.identity.apiKeys.create(by: principal, name: "ci", permissions: ["users:read"], expiresAt: nil)
            _ = try await fixture.identity.tenants.update(id: tenant.id, .init(status: .suspended))
            fixture.identity.principals.clearCache()
            #expect(await yizhanError { _ = try await fixture.identity.principals.resolve(pair.accessToken) }?.code == .tenantSuspended)
            #expect(await yizhanError { _ = try await fixture.identity.principals.resolve(secret) }?.code == .tenantSuspended)
            #expect(await yizhanError { _ = try await fixture.login("acme", "owner@acme.test") }?.code == .tenantSuspended)
            #expect(await yizhanError { _ = try await fixture.identity.auth.refresh(pair.refreshToken) }?.code == .tenantSuspended)
        }
    }

    @Test(arguments: TestEngines.all)
    func concurrentFirstUsesOfACredentialAllResolveAndFailuresAreNotCached(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, _ in
            let fixture = IdentityFixture(database: database)
            _ = try await fixture.tenant("acme")
            let pair = try await fixture.identity.auth.login(tenantCode: "acme", email: "owner@acme.test", password: IdentityFixture.password)
            let ids = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<20 { group.addTask { try await fixture.identity.principals.resolve(pair.accessToken).actorID } }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(ids.count == 1)
            let failures = await withTaskGroup(of: YizhanError?.self) { group in
                for _ in 0..<10 { group.addTask { await yizhanError { _ = try await fixture.identity.principals.resolve("yz_unknown") } } }
                return await group.reduce(into: [YizhanError?]()) { $0.append($1) }
            }
            #expect(failures.allSatisfy { $0?.code == .unauthorized })
        }
    }
}
