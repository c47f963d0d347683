import Foundation
import Testing
import YizhanCore
import YizhanIdentity
import YizhanStorage
import YizhanTesting

@Suite(.timeLimit(.minutes(3)))
struct UserAndTenantTests {
    @Test(arguments: TestEngines.all)
    func duplicateEmailInATenantIsAConflictButAnotherTenantMayReuseIt(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, _ in
            let fixture = IdentityFixture(database: database)
            _ = try await fixture.tenant("acme")
            _ = try await fixture.tenant("globex")
            let (_, acme) = try await fixture.login("acme", "owner@acme.test")
            let (_, globex) = try await fixture.login("globex", "owner@globex.test")
            _ = try await fixture.identity.users.create(by: acme, email: "Ann@x.test", password: "ann's long password", name: "Ann", roles: ["viewer"])
            let duplicate = await yizhanError {
                _ = try await fixture.identity.users.create(by: acme, email: "ann@X.test", password: "ann's long password", name: "Ann 2", roles: [])
            }
            #expect(duplicate?.code == .conflict)
            _ = try await fixture.identity.users.create(by: globex, email: "ann@x.test", password: "ann's long password", name: "Ann", roles: [])
        }
    }

    @Test(arguments: TestEngines.all)
    func concurrentCreatesOfOneEmailLeaveExactlyOneUser(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, _ in
            let fixture = IdentityFixture(database: database)
            let (tenant, _) = try await fixture.tenant("acme")
            let (_, owner) = try await fixture.login("acme", "owner@acme.test")
            let outcomes = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<6 {
                    group.addTask {
                        do {
                            _ = try await fixture.identity.users.create(by: owner, email: "race@x.test", password: "a long enough password", name: "R", roles: [])
                            return "created"
                        } catch let error as YizhanError { return error.code.rawValue }
                    }
                }
                return try await group.reduce(into: [String]()) { $0.append($1) }
            }
            #expect(outcomes.filter { $0 == "created" }.count == 1)
            #expect(outcomes.filter { $0 == "CONFLICT" }.count == 5)
            let page = try await fixture.identity.users.list(tenantID: tenant.id, search: "race", role: nil, page: .init())
            #expect(page.total == 1)
        }
    }

    @Test(arguments: TestEngines.all)
    func weakPasswordsAreValidationErrorsWith422(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, _ in
            let fixture = IdentityFixture(database: database)
            _ = try await fixture.tenant("acme")
            let (_, owner) = try await fixture.login("acme", "owner@acme.test")
            for password in ["short", "bob@example.com"] {
                let error = await yizhanError {
                    _ = try await fixture.identity.users.create(by: owner, email: "bob@example.com", password: password, name: "Bob", roles: [])
                }
                #expect(error?.code == .validationError)
                #expect(error?.httpStatus == 422)
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func passwordsAreStoredAsBcryptAtTheConfiguredCost(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, _ in
            let hasher = PasswordHasher()
            let hash = try await hasher.hash("a long enough password")
            #expect(PasswordHasher.cost(of: hash) == 12)
            #expect(hash.hasPrefix("$2"))
            #expect(try await hasher.verify("a long enough password", against: hash))
            #expect(try await !hasher.verify("a long enough passworD", against: hash))
            #expect(try await !hasher.verify("anything", against: nil))
        }
    }

    @Test(arguments: TestEngines.all)
    func softDeletedUserCannotLogInAndFreesTheEmail(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, _ in
            let fixture = IdentityFixture(database: database)
            _ = try await fixture.tenant("acme")
            let (_, owner) = try await fixture.login("acme", "owner@acme.test")
            let user = try await fixture.identity.users.create(by: owner, email: "cy@x.test", password: "cy's long password", name: "Cy", roles: ["operator"])
            let (pair, _) = try await fixture.login("acme", "cy@x.test", password: "cy's long password")
            try await fixture.identity.users.delete(id: user.id, by: owner)
            fixture.identity.principals.clearCache()
            #expect(await yizhanError { _ = try await fixture.identity.principals.resolve(pair.accessToken) }?.code == .unauthorized)
            #expect(await yizhanError { _ = try await fixture.login("acme", "cy@x.test", password: "cy's long password") }?.code == .unauthorized)
            _ = try await fixture.identity.users.create(by: owner, email: "cy@x.test", password: "cy's long password", name: "Cy again", roles: [])
        }
    }

    @Test(arguments: TestEngines.all)
    func onlyOwnersMakeOwnersAndTheLastOwnerStays(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, _ in
            let fixture = IdentityFixture(database: database)
            let (_, ownerUser) = try await fixture.tenant("acme")
            let (_, owner) = try await fixture.login("acme", "owner@acme.test")
            _ = try await fixture.identity.users.create(by: owner, email: "ad@x.test", password: "admin's long password", name: "Ad", roles: ["admin"])
            let (_, admin) = try await fixture.login("acme", "ad@x.test", password: "admin's long password")
            let escalate = await yizhanError {
                _ = try await fixture.identity.users.create(by: admin, email: "x@x.test", password: "x's long password!", name: "X", roles: ["owner"])
            }
            #expect(escalate?.code == .forbidden)
            let platform = await yizhanError {
                _ = try await fixture.identity.users.create(by: owner, email: "p@x.test", password: "p's long password!", name: "P", roles: ["platform_admin"])
            }
            #expect(platform?.httpStatus == 422)
            let last = await yizhanError { try await fixture.identity.users.delete(id: ownerUser.id, by: owner) }
            #expect(last?.code == .conflict)
        }
    }

    @Test(arguments: TestEngines.all)
    func twoOwnersRemovingEachOtherAtOnceLeaveOneOwner(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, _ in
            let fixture = IdentityFixture(database: database)
            _ = try await fixture.tenant("acme")
            let (_, first) = try await fixture.login("acme", "owner@acme.test")
            let users = fixture.identity.users
            for round in 0..<8 {
                // Two owners; each removes the other (by delete or by demotion) at the same moment.
                let password = "second owner's long password"
                let second = try await users.create(
                    by: first, email: "o\(round)@acme.test", password: password, name: "O", roles: ["owner"])
                let (_, secondPrincipal) = try await fixture.login("acme", second.email, password: password)
                let firstUserID = try #require(first.userID)
                let demote = round % 2 == 0
                async let a: YizhanError? = yizhanError {
                    if demote {
                        _ = try await users.update(id: second.id, by: first, email: nil, name: nil, roles: ["admin"])
                    } else {
                        try await users.delete(id: second.id, by: first)
                    }
                }
                async let b: YizhanError? = yizhanError {
                    if demote {
                        _ = try await users.update(id: firstUserID, by: secondPrincipal, email: nil, name: nil, roles: ["admin"])
                    } else {
                        try await users.delete(id: firstUserID, by: secondPrincipal)
                    }
                }
                let outcomes = await [a, b]
                #expect(try await users.count(holding: "owner", tenantID: first.tenantID) == 1, "round \(round)")
                #expect(outcomes.compactMap { $0?.code } == [.conflict], "round \(round)")
                if outcomes[0] != nil {
                    return  // the first owner is gone or demoted; the rounds stop here
                }
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func tenantWithAWeakOwnerPasswordCreatesNothing(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, _ in
            let fixture = IdentityFixture(database: database)
            let error = await yizhanError {
                _ = try await fixture.identity.tenants.create(code: "acme", name: "Acme", quotas: .init(), owner: .init(email: "o@acme.test", password: "short"))
            }
            #expect(error?.details["field"] == "owner_password")
            #expect(try await fixture.identity.tenants.tenant(code: "acme") == nil)
            _ = try await fixture.tenant("acme")
            let duplicate = await yizhanError { _ = try await fixture.tenant("acme") }
            #expect(duplicate?.code == .conflict)
        }
    }

    @Test(arguments: TestEngines.all)
    func anOwnerWithoutANameIsCalledByTheEmailCutToANamesLength(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, _ in
            let fixture = IdentityFixture(database: database)
            let email = String(repeating: "o", count: 230) + "@acme.test"  // a valid address, longer than a name
            let created = try await fixture.identity.tenants.create(
                code: "acme", name: "Acme", quotas: .init(), owner: .init(email: email, password: IdentityFixture.password))
            #expect(created.owner?.email == email)
            #expect(created.owner?.name == String(email.prefix(200)))
        }
    }

    @Test(arguments: TestEngines.all)
    func customRolesGrantTheirPermissions(engine: DatabaseEngine) async throws {
        try await TestDatabase.with(engine, migrations: identityMigrations) { database, _ in
            let fixture = IdentityFixture(database: database)
            _ = try await fixture.tenant("acme")
            let (_, owner) = try await fixture.login("acme", "owner@acme.test")
            _ = try await fixture.identity.roles.create(by: owner, name: "auditor", description: "reads the log", permissions: ["audit:read"])
            let user = try await fixture.identity.users.create(by: owner, email: "au@x.test", password: "auditor's password", name: "Au", roles: ["auditor"])
            let (_, auditor) = try await fixture.login("acme", "au@x.test", password: "auditor's password")
            #expect(auditor.permissions == [.auditRead])
            let inUse = await yizhanError { try await fixture.identity.roles.delete(by: owner, name: "auditor") }
            #expect(inUse?.code == .conflict)
            let platform = await yizhanError { _ = try await fixture.identity.roles.create(by: owner, name: "boss", description: nil, permissions: ["tenants:write"]) }
            #expect(platform?.code == .validationError)
            _ = try await fixture.identity.users.update(id: user.id, by: owner, email: nil, name: nil, roles: ["viewer"])
            try await fixture.identity.roles.delete(by: owner, name: "auditor")
        }
    }
}
