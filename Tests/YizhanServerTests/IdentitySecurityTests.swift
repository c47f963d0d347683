import Foundation
import HTTPTypes
import SQLKit
import Testing
import YizhanCore
@testable import YizhanIdentity
import YizhanServer
import YizhanStorage
import YizhanTesting

/// The identity security fixes of issue 17, each through the HTTP API on both engines.
@Suite(.timeLimit(.minutes(3)))
struct IdentitySecurityTests {
    static let password = "a member's long password"

    @Test(arguments: TestEngines.all)
    func anAdminCannotResetAnOwnersPasswordAndNoKeyCanResetAny(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, _ in
            let (tenant, owner) = try await identity.makeTenant("acme")
            _ = try await identity.users.create(tenantID: tenant.id, email: "admin@acme.test", password: Self.password, name: "A", roles: ["admin"])
            let viewer = try await identity.users.create(tenantID: tenant.id, email: "v@acme.test", password: Self.password, name: "V", roles: ["viewer"])
            let (admin, _) = try await api.login("acme", "admin@acme.test", Self.password)

            let takeover = try await api.call(.post, "/api/v1/users/\(owner.id)/password", token: admin, json: ["password": "the admin's choice now"])
            #expect(takeover.status == 403)
            #expect(takeover.errorCode == "FORBIDDEN")
            _ = try await api.login("acme", "owner@acme.test", ownerPassword)  // unchanged

            let reset = try await api.call(.post, "/api/v1/users/\(viewer.id)/password", token: admin, json: ["password": "a fresh viewer password"])
            #expect(reset.status == 200)

            let (ownerToken, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            let created = try await api.call(.post, "/api/v1/api-keys", token: ownerToken, json: ["name": "hr bot", "permissions": ["users:write", "users:read"]])
            let key = try #require(created.data["key"] as? String)
            let byKey = try await api.call(.post, "/api/v1/users/\(viewer.id)/password", apiKey: key, json: ["password": "the key's choice now"])
            #expect(byKey.status == 403)
        }
    }

    @Test(arguments: TestEngines.all)
    func grantingARoleNeedsEveryPermissionTheRoleGrants(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, _ in
            let (tenant, _) = try await identity.makeTenant("acme")
            let (owner, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            let role = try await api.call(.post, "/api/v1/roles", token: owner, json: ["name": "hr", "permissions": ["users:read", "users:write"]])
            #expect(role.status == 201)
            let hr = try await identity.users.create(tenantID: tenant.id, email: "hr@acme.test", password: Self.password, name: "HR", roles: ["hr"])
            let (hrToken, _) = try await api.login("acme", "hr@acme.test", Self.password)

            for granted in ["admin", "operator"] {
                let create = try await api.call(.post, "/api/v1/users", token: hrToken, json: [
                    "email": "\(granted)@acme.test", "password": Self.password, "name": "X", "roles": [granted],
                ])
                #expect(create.status == 403, "creating a user with \(granted)")
            }
            let selfPromotion = try await api.call(.patch, "/api/v1/users/\(hr.id)", token: hrToken, json: ["roles": ["hr", "admin"]])
            #expect(selfPromotion.status == 403)
            #expect(try await identity.users.user(id: hr.id, tenantID: tenant.id)?.roles == ["hr"])
            let peer = try await api.call(.post, "/api/v1/users", token: hrToken, json: [
                "email": "peer@acme.test", "password": Self.password, "name": "Peer", "roles": ["hr"],
            ])
            #expect(peer.status == 201)
        }
    }

    @Test(arguments: TestEngines.all)
    func usersWriteCannotStripDeleteOrResetSomeoneMorePrivilegedNorResetItself(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, _ in
            let (tenant, _) = try await identity.makeTenant("acme")
            let (owner, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            _ = try await api.call(.post, "/api/v1/roles", token: owner, json: ["name": "hr", "permissions": ["users:read", "users:write"]])
            let hr = try await identity.users.create(tenantID: tenant.id, email: "hr@acme.test", password: Self.password, name: "HR", roles: ["hr"])
            let admin = try await identity.users.create(tenantID: tenant.id, email: "admin@acme.test", password: Self.password, name: "A", roles: ["admin"])
            let (hrToken, _) = try await api.login("acme", "hr@acme.test", Self.password)

            #expect(try await api.call(.patch, "/api/v1/users/\(admin.id)", token: hrToken, json: ["roles": [String]()]).status == 403)
            #expect(try await api.call(.patch, "/api/v1/users/\(admin.id)", token: hrToken, json: ["email": "hr2@acme.test"]).status == 403)
            #expect(try await api.call(.delete, "/api/v1/users/\(admin.id)", token: hrToken).status == 403)
            #expect(try await identity.users.user(id: admin.id, tenantID: tenant.id)?.roles == ["admin"])
            let ownReset = try await api.call(.post, "/api/v1/users/\(hr.id)/password", token: hrToken, json: ["password": "no current password needed?"])
            #expect(ownReset.status == 403)
            // Their own name they may change.
            #expect(try await api.call(.patch, "/api/v1/users/\(hr.id)", token: hrToken, json: ["name": "Human Resources"]).status == 200)
        }
    }

    @Test(arguments: TestEngines.all)
    func aRefreshTokenIssuedBeforeThePasswordChangedNeverRotates(engine: DatabaseEngine) async throws {
        let clock = ManualTimeSource(start: Date())
        try await withIdentityTestApp(engine, clock: clock) { api, identity, database in
            let (_, owner) = try await identity.makeTenant("acme")
            let (_, refresh) = try await api.login("acme", "owner@acme.test", ownerPassword)
            // A password change that raced this session's login (its revocation ran first).
            let later = Timestamp.milliseconds(clock.now()) + 1
            try await database.withConnection { work in
                try await work.raw("UPDATE users SET password_changed_at = \(bind: later) WHERE id = \(bind: owner.id)").run()
            }
            clock.advance(by: .seconds(1))
            #expect(try await api.call(.post, "/api/v1/auth/refresh", json: ["refresh_token": refresh]).status == 401)
        }
    }

    @Test(arguments: TestEngines.all)
    func controlCharactersInLoginInputAreRefusedNeverA500(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, _ in
            _ = try await identity.makeTenant("acme")
            for (tenant, email) in [("ac\u{0}me", "owner@acme.test"), ("acme", "owner@acme.test\u{0}"), ("acme\u{1b}", "o@a.test")] {
                let reply = try await api.call(.post, "/api/v1/auth/login", json: ["tenant": tenant, "email": email, "password": "x"])
                #expect(reply.status == 422, "\(reply.body)")
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func overlongLoginInputIsRefusedBeforeAnyWrite(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, database in
            _ = try await identity.makeTenant("acme")
            let longEmail = String(repeating: "e", count: 250) + "@acme.test"
            let email = try await api.call(.post, "/api/v1/auth/login", json: ["tenant": "acme", "email": longEmail, "password": "x"])
            #expect(email.status == 400)
            let tenant = try await api.call(.post, "/api/v1/auth/login", json: ["tenant": String(repeating: "t", count: 64), "email": "a@b.test", "password": "x"])
            #expect(tenant.status == 400)
            let rows = try await database.withConnection { work in
                try await work.raw("SELECT (SELECT COUNT(*) FROM login_throttle) + (SELECT COUNT(*) FROM audit_logs WHERE action = 'auth.login') AS n")
                    .first()?.decode(column: "n", as: Int.self)
            }
            #expect(rows == 0)
        }
    }

    @Test(arguments: TestEngines.all)
    func concurrentGuessesAreEachCountedSoALockoutStopsThem(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, database in
            _ = try await identity.makeTenant("acme")
            let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
                for index in 0..<12 {
                    group.addTask {
                        try await api.call(.post, "/api/v1/auth/login", json: ["tenant": "acme", "email": "owner@acme.test", "password": "guess \(index)"]).status
                    }
                }
                return try await group.reduce(into: [Int]()) { $0.append($1) }
            }
            // Five free attempts and the one that locks; the rest are refused without a password check.
            #expect(statuses.filter { $0 == 401 }.count == LoginThrottleStore.freeFailures + 1)
            #expect(statuses.filter { $0 == 429 }.count == 12 - LoginThrottleStore.freeFailures - 1)
            // One audit entry for the lockout, not one per refused attempt.
            let locked = try await identity.audit.list(
                tenantID: try #require(try await identity.tenants.tenant(code: "acme")).id,
                filter: .init(action: "auth.login", outcome: "failure"), page: .init(page: 1, pageSize: 100))
            #expect(locked.items.filter { $0.details["reason"] == "locked" }.count == 1)
            _ = database
        }
    }

    @Test(arguments: TestEngines.all)
    func afterALockoutTheNextAttemptReportsHowManyWereRefused(engine: DatabaseEngine) async throws {
        let clock = ManualTimeSource(start: Date())
        try await withIdentityTestApp(engine, clock: clock) { api, identity, _ in
            let (tenant, _) = try await identity.makeTenant("acme")
            for index in 0..<(LoginThrottleStore.freeFailures + 4) {
                _ = try await api.call(.post, "/api/v1/auth/login", json: ["tenant": "acme", "email": "owner@acme.test", "password": "guess \(index)"])
            }
            clock.advance(by: .seconds(2))  // the one-second lockout is over
            _ = try await api.login("acme", "owner@acme.test", ownerPassword)
            let entries = try await identity.audit.list(
                tenantID: tenant.id, filter: .init(action: "auth.login"), page: .init(page: 1, pageSize: 100)).items
            #expect(entries.filter { $0.details["reason"] == "locked" }.count == 1)
            #expect(entries.first { $0.outcome == "success" }?.details["refused_while_locked"] == "3")
        }
    }

    @Test(arguments: TestEngines.all)
    func wrongCurrentPasswordsLockThePasswordChange(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, _ in
            _ = try await identity.makeTenant("acme")
            let (token, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            var statuses: [Int] = []
            for index in 0..<(LoginThrottleStore.freeFailures + 2) {
                statuses.append(try await api.call(.post, "/api/v1/me/password", token: token, json: [
                    "current_password": "guess number \(index)", "new_password": "a brand new passphrase",
                ]).status)
            }
            #expect(statuses.prefix(LoginThrottleStore.freeFailures + 1).allSatisfy { $0 == 422 })
            #expect(statuses.last == 429)
            let right = try await api.call(.post, "/api/v1/me/password", token: token, json: [
                "current_password": ownerPassword, "new_password": "a brand new passphrase",
            ])
            #expect(right.status == 429)  // locked, even with the right password
        }
    }

    @Test(arguments: TestEngines.all)
    func tokensIssuedBeforeThePasswordChangedAreVoid(engine: DatabaseEngine) async throws {
        let clock = ManualTimeSource(start: Date())
        try await withIdentityTestApp(engine, clock: clock) { api, identity, database in
            let (_, owner) = try await identity.makeTenant("acme")
            let (token, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            #expect(try await api.call(.get, "/api/v1/me", token: token).status == 200)
            // Another process changed the password (its session revocation is not what is tested here).
            let later = Timestamp.milliseconds(clock.now()) + 1
            try await database.withConnection { work in
                try await work.raw("UPDATE users SET password_changed_at = \(bind: later) WHERE id = \(bind: owner.id)").run()
            }
            clock.advance(by: .seconds(2))  // past the principal cache
            #expect(try await api.call(.get, "/api/v1/me", token: token).status == 401)
        }
    }

    @Test(arguments: TestEngines.all)
    func aRefreshRefusedWhileSuspendedStillWorksAfterReactivation(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, _ in
            let (tenant, _) = try await identity.makeTenant("acme")
            let (_, refresh) = try await api.login("acme", "owner@acme.test", ownerPassword)
            _ = try await identity.tenants.update(id: tenant.id, .init(status: .suspended))
            let refused = try await api.call(.post, "/api/v1/auth/refresh", json: ["refresh_token": refresh])
            #expect(refused.status == 403)
            #expect(refused.errorCode == "TENANT_SUSPENDED")
            _ = try await identity.tenants.update(id: tenant.id, .init(status: .active))
            let rotated = try await api.call(.post, "/api/v1/auth/refresh", json: ["refresh_token": refresh])
            #expect(rotated.status == 200)
        }
    }

    @Test(arguments: TestEngines.all)
    func aKeyNeverDoesMoreThanItsCreatorCanNow(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, _ in
            let (tenant, _) = try await identity.makeTenant("acme")
            let admin = try await identity.users.create(tenantID: tenant.id, email: "admin@acme.test", password: Self.password, name: "A", roles: ["admin"])
            let (adminToken, _) = try await api.login("acme", "admin@acme.test", Self.password)
            let created = try await api.call(.post, "/api/v1/api-keys", token: adminToken, json: ["name": "bot", "permissions": ["users:read", "users:write"]])
            let key = try #require(created.data["key"] as? String)
            let newUser: [String: Any] = ["email": "n1@acme.test", "password": Self.password, "name": "N", "roles": [String]()]
            #expect(try await api.call(.post, "/api/v1/users", apiKey: key, json: newUser).status == 201)

            let (owner, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            #expect(try await api.call(.patch, "/api/v1/users/\(admin.id)", token: owner, json: ["roles": ["viewer"]]).status == 200)
            var second = newUser
            second["email"] = "n2@acme.test"
            #expect(try await api.call(.post, "/api/v1/users", apiKey: key, json: second).status == 403)
            #expect(try await api.call(.get, "/api/v1/users", apiKey: key).status == 200)  // the viewer still reads

            #expect(try await api.call(.delete, "/api/v1/users/\(admin.id)", token: owner).status == 200)
            #expect(try await api.call(.get, "/api/v1/users", apiKey: key).status == 401)
            let revoked = try await identity.apiKeys.list(tenantID: tenant.id, includeRevoked: true, page: .init()).items
            #expect(revoked.allSatisfy { $0.revokedAt != nil })
        }
    }

    @Test(arguments: TestEngines.all)
    func passwordsOverBcryptsLimitOrWithNULAreRefusedByRule(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, _ in
            _ = try await identity.makeTenant("acme")
            let (owner, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            let cases = [
                (String(repeating: "é", count: 37), "max_bytes"),  // 37 characters, 74 bytes
                ("twelve chars\u{0}and then more", "no_nul"),
            ]
            for (password, rule) in cases {
                let reply = try await api.call(.post, "/api/v1/users", token: owner, json: [
                    "email": "p@acme.test", "password": password, "name": "P", "roles": ["viewer"],
                ])
                #expect(reply.status == 422, "\(rule)")
                let details = (reply.json["error"] as? [String: Any])?["details"] as? [String: Any]
                #expect(details?["rule"] as? String == rule)
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func theMetricsTokenGuardsTheScrape(engine: DatabaseEngine) async throws {
        let token = "scrape-token-of-enough-length"
        try await withIdentityTestApp(engine, configure: { $0.metricsToken = token }) { api, _, _ in
            let anonymous = try await api.call(.get, "/metrics")
            let wrong = try await api.call(.get, "/metrics", token: "wrong-token-of-enough-length")
            let right = try await api.call(.get, "/metrics", token: token)
            #expect(anonymous.status == 401)
            #expect(wrong.status == 401)
            #expect(right.status == 200)
        }
    }
}
