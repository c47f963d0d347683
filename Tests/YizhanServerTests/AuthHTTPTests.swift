import Foundation
import HTTPTypes
import Testing
import YizhanIdentity
import YizhanServer
import YizhanStorage
import YizhanTesting

@Suite(.timeLimit(.minutes(3)))
struct AuthHTTPTests {
    @Test(arguments: TestEngines.all)
    func loginThenMeAnswersTheCallerInTheEnvelope(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, _ in
            let (tenant, owner) = try await identity.makeTenant("acme")
            let login = try await api.call(.post, "/api/v1/auth/login", json: ["tenant": "acme", "email": "owner@acme.test", "password": ownerPassword])
            #expect(login.status == 200)
            #expect(login.data["token_type"] as? String == "bearer")
            #expect(login.data["expires_in"] as? Int == 900)
            let access = try #require(login.data["access_token"] as? String)
            let me = try await api.call(.get, "/api/v1/me", token: access)
            #expect(me.status == 200)
            #expect(me.data["actor_id"] as? String == owner.id)
            #expect(me.data["email"] as? String == "owner@acme.test")
            #expect((me.data["tenant"] as? [String: Any])?["id"] as? String == tenant.id)
            #expect((me.data["roles"] as? [String]) == ["owner"])
            #expect(me.headers[HTTPField.Name("X-RateLimit-Limit")!] == "100")
        }
    }

    @Test(arguments: TestEngines.all)
    func missingForgedAndExpiredCredentialsAre401(engine: DatabaseEngine) async throws {
        // Tokens are stamped by the app's clock, so they are checked and forged against it too: on a
        // loaded machine, real time may pass the 30 s lifetime before the checks run.
        let clock = ManualTimeSource(start: Date())
        try await withIdentityTestApp(engine, configure: { $0.accessTokenTTLSeconds = 30 }, clock: clock) { api, identity, _ in
            _ = try await identity.makeTenant("acme")
            let (access, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            let none = try await api.call(.get, "/api/v1/me")
            #expect(none.status == 401)
            #expect(none.errorCode == "UNAUTHORIZED")
            #expect(none.headers[.wwwAuthenticate] == "Bearer")
            let parts = access.split(separator: ".").map(String.init)
            let forgedKey = AccessTokens(keys: [try SigningKey(id: "test-1", secret: String(repeating: "z", count: 40))], lifetime: .seconds(60))
            let claims = try #require(try await identity.accessTokens.verify(access, now: clock.now()))
            let otherKey = try await forgedKey.issue(userID: claims.userID, tenantID: claims.tenantID, sessionID: claims.sessionID, now: clock.now())
            let expired = try await identity.accessTokens.issue(
                userID: claims.userID, tenantID: claims.tenantID, sessionID: claims.sessionID, now: clock.now().addingTimeInterval(-40))
            let algNone = Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64EncodedString().replacingOccurrences(of: "=", with: "")
            for token in [otherKey, expired, "\(algNone).\(parts[1]).", "\(parts[0]).\(parts[1])x.\(parts[2])", "nonsense", "yz_notakey"] {
                let reply = try await api.call(.get, "/api/v1/me", token: token)
                #expect(reply.status == 401, "\(token)")
                #expect(reply.errorCode == "UNAUTHORIZED")
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func missingPermissionIs403AndPlatformRoutesAre404OutsideThePlatform(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, _ in
            _ = try await identity.makePlatform()
            _ = try await identity.makeTenant("acme")
            let (owner, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            let created = try await api.call(.post, "/api/v1/users", token: owner, json: [
                "email": "viewer@acme.test", "password": "viewer's long password", "name": "Vi", "roles": ["viewer"],
            ])
            #expect(created.status == 201)
            let (viewer, _) = try await api.login("acme", "viewer@acme.test", "viewer's long password")
            let denied = try await api.call(.post, "/api/v1/users", token: viewer, json: [
                "email": "x@acme.test", "password": "x's long password!", "name": "X", "roles": [],
            ])
            #expect(denied.status == 403)
            #expect(denied.errorCode == "FORBIDDEN")
            #expect(try await api.call(.get, "/api/v1/users", token: viewer).status == 200)
            #expect(try await api.call(.get, "/api/v1/tenants", token: owner).status == 404)

            let (root, _) = try await api.login("platform", "root@platform.test", ownerPassword)
            let tenants = try await api.call(.get, "/api/v1/tenants?page_size=10", token: root)
            #expect(tenants.status == 200)
            #expect(((tenants.data["items"] as? [[String: Any]]) ?? []).map { $0["code"] as? String } == ["acme", "platform"])
        }
    }

    @Test(arguments: TestEngines.all)
    func duplicateEmailIs409AndWeakPasswordIs422(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, _ in
            _ = try await identity.makeTenant("acme")
            let (owner, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            let user: [String: Any] = ["email": "ann@acme.test", "password": "ann's long password", "name": "Ann", "roles": ["viewer"]]
            #expect(try await api.call(.post, "/api/v1/users", token: owner, json: user).status == 201)
            let duplicate = try await api.call(.post, "/api/v1/users", token: owner, json: user)
            #expect(duplicate.status == 409)
            #expect(duplicate.errorCode == "CONFLICT")
            var weak = user
            weak["email"] = "bo@acme.test"
            weak["password"] = "short"
            let refused = try await api.call(.post, "/api/v1/users", token: owner, json: weak)
            #expect(refused.status == 422)
            #expect(refused.errorCode == "VALIDATION_ERROR")
            let missing = try await api.call(.post, "/api/v1/users", token: owner, json: ["email": "c@acme.test"])
            #expect(missing.status == 400)
            #expect(missing.errorCode == "VALIDATION_ERROR")
        }
    }

    @Test(arguments: TestEngines.all)
    func refreshRotatesOverHTTPAndReuseRevokesTheSession(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, _ in
            _ = try await identity.makeTenant("acme")
            let (_, refresh) = try await api.login("acme", "owner@acme.test", ownerPassword)
            let rotated = try await api.call(.post, "/api/v1/auth/refresh", json: ["refresh_token": refresh])
            #expect(rotated.status == 200)
            let next = try #require(rotated.data["refresh_token"] as? String)
            let access = try #require(rotated.data["access_token"] as? String)
            #expect(try await api.call(.get, "/api/v1/me", token: access).status == 200)
            let reuse = try await api.call(.post, "/api/v1/auth/refresh", json: ["refresh_token": refresh])
            #expect(reuse.status == 401)
            #expect(try await api.call(.post, "/api/v1/auth/refresh", json: ["refresh_token": next]).status == 401)
            // The reuse revoked the session and cleared the cache when it committed.
            #expect(try await api.call(.get, "/api/v1/me", token: access).status == 401)
        }
    }

    @Test(arguments: TestEngines.all)
    func logoutVoidsTheAccessTokenAtOnce(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, _ in
            _ = try await identity.makeTenant("acme")
            let (access, refresh) = try await api.login("acme", "owner@acme.test", ownerPassword)
            let (other, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            #expect(try await api.call(.post, "/api/v1/auth/logout", token: access).status == 200)
            #expect(try await api.call(.get, "/api/v1/me", token: access).status == 401)
            #expect(try await api.call(.post, "/api/v1/auth/refresh", json: ["refresh_token": refresh]).status == 401)
            #expect(try await api.call(.get, "/api/v1/me", token: other).status == 200)
            #expect(try await api.call(.post, "/api/v1/auth/logout-all", token: other).status == 200)
            #expect(try await api.call(.get, "/api/v1/me", token: other).status == 401)
        }
    }

    @Test(arguments: TestEngines.all)
    func apiKeyWorksInEitherHeaderAndIsRefusedOnceRevoked(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, _ in
            _ = try await identity.makeTenant("acme")
            let (owner, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            let created = try await api.call(.post, "/api/v1/api-keys", token: owner, json: ["name": "ci", "permissions": ["users:read"]])
            #expect(created.status == 201)
            let secret = try #require(created.data["key"] as? String)
            let id = try #require((created.data["api_key"] as? [String: Any])?["id"] as? String)
            #expect(try await api.call(.get, "/api/v1/users", token: secret).status == 200)
            #expect(try await api.call(.get, "/api/v1/users", apiKey: secret).status == 200)
            #expect(try await api.call(.post, "/api/v1/users", apiKey: secret, json: [:]).status == 403)
            let listed = try await api.call(.get, "/api/v1/api-keys", token: owner)
            #expect(!listed.body.contains(secret))
            #expect(listed.body.contains(String(secret.prefix(11))))
            #expect(try await api.call(.delete, "/api/v1/api-keys/\(id)", token: owner).status == 200)
            #expect(try await api.call(.get, "/api/v1/users", apiKey: secret).status == 401)
        }
    }

    @Test(arguments: TestEngines.all)
    func suspendedTenantIsRefusedWithTenantSuspended(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, _ in
            _ = try await identity.makePlatform()
            let (acme, _) = try await identity.makeTenant("acme")
            let (owner, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            let (root, _) = try await api.login("platform", "root@platform.test", ownerPassword)
            let suspended = try await api.call(.patch, "/api/v1/tenants/\(acme.id)", token: root, json: ["status": "suspended"])
            #expect(suspended.status == 200)
            #expect(suspended.data["status"] as? String == "suspended")
            let refused = try await api.call(.get, "/api/v1/me", token: owner)
            #expect(refused.status == 403)
            #expect(refused.errorCode == "TENANT_SUSPENDED")
            let login = try await api.call(.post, "/api/v1/auth/login", json: ["tenant": "acme", "email": "owner@acme.test", "password": ownerPassword])
            #expect(login.errorCode == "TENANT_SUSPENDED")
            let audit = try await api.call(.get, "/api/v1/audit-logs?action=tenant.suspend", token: root)
            #expect(audit.status == 200)
            #expect(((audit.data["items"] as? [[String: Any]]) ?? []).isEmpty)  // it happened in acme, not in platform
        }
    }

    @Test(arguments: TestEngines.all)
    func rateLimitAnswers429WithRetryAfterAndLimitHeaders(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine, configure: { $0.rateLimitPerSecond = 0.01; $0.rateLimitBurst = 3 }) { api, identity, _ in
            _ = try await identity.makeTenant("acme")
            let (owner, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            var statuses: [Int] = []
            var last: APIClient.Reply?
            for _ in 0..<5 {
                let reply = try await api.call(.get, "/api/v1/me", token: owner)
                statuses.append(reply.status)
                last = reply
            }
            #expect(statuses.prefix(3).allSatisfy { $0 == 200 })
            #expect(statuses.last == 429)
            #expect(last?.errorCode == "RATE_LIMITED")
            // One token per 100 s: the fourth and fifth requests find none, and the next token is
            // 100 s less however long the test has run so far, which is well under 10 s.
            let retryAfter = Int(last?.headers[.retryAfter] ?? "") ?? 0
            #expect((90...100).contains(retryAfter))
            #expect(last?.headers[HTTPField.Name("X-RateLimit-Remaining")!] == "0")
            #expect(last?.headers[HTTPField.Name("X-RateLimit-Limit")!] == "3")
            #expect(try await api.call(.get, "/health/live").status == 200)
        }
    }

    @Test(arguments: TestEngines.all)
    func auditLogRecordsLoginsAndChangesWithActorAndRequestID(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, _ in
            let (acme, owner) = try await identity.makeTenant("acme")
            _ = try await api.call(.post, "/api/v1/auth/login", json: ["tenant": "acme", "email": "owner@acme.test", "password": "wrong password!!"])
            let (access, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            let created = try await api.call(.post, "/api/v1/users", token: access, json: [
                "email": "d@acme.test", "password": "d's long password!", "name": "D", "roles": ["operator"],
            ])
            let userID = try #require(created.data["id"] as? String)
            let log = try await api.call(.get, "/api/v1/audit-logs?page_size=50", token: access)
            let items = (log.data["items"] as? [[String: Any]]) ?? []
            let actions = items.map { "\($0["action"] as? String ?? "") \($0["outcome"] as? String ?? "")" }
            #expect(actions.contains("auth.login failure"))
            #expect(actions.contains("auth.login success"))
            #expect(actions.contains("user.create success"))
            let create = try #require(items.first { $0["action"] as? String == "user.create" })
            #expect(create["actor_id"] as? String == owner.id)
            #expect(create["target_id"] as? String == userID)
            #expect(create["request_id"] as? String == created.headers[.init("X-Request-ID")!])
            let filtered = try await api.call(.get, "/api/v1/audit-logs?outcome=failure", token: access)
            #expect(((filtered.data["items"] as? [[String: Any]]) ?? []).count == 1)
            #expect((filtered.data["pagination"] as? [String: Any])?["total"] as? Int == 1)
            _ = acme
        }
    }

    @Test(arguments: TestEngines.all)
    func hugePageNumbersAndMalformedParametersAre400NotACrash(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, _ in
            _ = try await identity.makeTenant("acme")
            let (owner, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            for uri in [
                "/api/v1/users?page=108606639903819264&page_size=162", "/api/v1/users?page=0", "/api/v1/users?page_size=201",
                "/api/v1/users?page=abc", "/api/v1/audit-logs?until=3606-03-18%2022:42", "/api/v1/api-keys?include_revoked=maybe",
            ] {
                let reply = try await api.call(.get, uri, token: owner)
                #expect(reply.status == 400, "\(uri)")
                #expect(reply.errorCode == "VALIDATION_ERROR", "\(uri)")
                #expect(!(reply.json["error"] as? [String: Any] ?? [:]).description.contains("body"), "\(uri)")
            }
            #expect(try await api.call(.get, "/api/v1/users?page=1000000", token: owner).status == 200)
        }
    }

    @Test(arguments: TestEngines.all)
    func aNumberThatFitsNoIntegerNamesItsFieldAndNothingIsWritten(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, _ in
            _ = try await identity.makePlatform()
            let (root, _) = try await api.login("platform", "root@platform.test", ownerPassword)
            for number in ["1.5", "11580398661968662102016", "-9300000000000000000"] {
                let body = #"{"code":"acme","name":"Acme","quotas":{"max_apps":1,"max_daily_messages":\#(number)}}"#
                let reply = try await api.call(.post, "/api/v1/tenants", token: root, rawBody: body)
                #expect(reply.status == 400, "\(number)")
                let details = (reply.json["error"] as? [String: Any])?["details"] as? [String: Any]
                #expect(details?["field"] as? String == "quotas.max_daily_messages", "\(number)")
                #expect(reply.body.contains("must be an integer"), "\(number)")
            }
            #expect(try await identity.tenants.tenant(code: "acme") == nil)
            let whole = try await api.call(
                .post, "/api/v1/tenants", token: root, rawBody: #"{"code":"acme","name":"Acme","quotas":{"max_apps":5.0,"max_daily_messages":1e3}}"#)
            #expect(whole.status == 201)
            #expect(whole.data["quotas"] as? [String: Int] == ["max_apps": 5, "max_daily_messages": 1000])
            let broken = try await api.call(.post, "/api/v1/tenants", token: root, rawBody: #"{"code":"acme","#)
            #expect(broken.body.contains("not valid JSON"))
        }
    }

    @Test(arguments: TestEngines.all)
    func datesWithFractionalSecondsOrAnOffsetAreReadAndABadDateNamesItsField(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, _ in
            _ = try await identity.makeTenant("acme")
            let (owner, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            func createKey(expiring expiresAt: String) async throws -> APIClient.Reply {
                try await api.call(
                    .post, "/api/v1/api-keys", token: owner, json: ["name": "ci", "permissions": ["users:read"], "expires_at": expiresAt])
            }
            // JavaScript's toISOString() writes milliseconds; Python's isoformat() microseconds and an offset.
            let javascript = try await createKey(expiring: "2099-01-02T03:04:05.000Z")
            #expect(javascript.status == 201)
            #expect((javascript.data["api_key"] as? [String: Any])?["expires_at"] as? String == "2099-01-02T03:04:05Z")
            let python = try await createKey(expiring: "2099-01-02T11:04:05.000000+08:00")
            #expect(python.status == 201)
            #expect((python.data["api_key"] as? [String: Any])?["expires_at"] as? String == "2099-01-02T03:04:05Z")
            #expect(try await createKey(expiring: "2099-01-02T03:04:05.678901Z").status == 201)

            let malformed = try await createKey(expiring: "tomorrow")
            #expect(malformed.status == 400)
            #expect(malformed.errorCode == "VALIDATION_ERROR")
            let details = (malformed.json["error"] as? [String: Any])?["details"] as? [String: Any]
            #expect(details?["field"] as? String == "expires_at")
            #expect(malformed.body.contains("RFC 3339"))
            let past = try await createKey(expiring: "2001-01-01T00:00:00Z")
            #expect(past.status == 422)

            for since in ["2026-12-01T00:00:00Z", "2026-12-01T00:00:00.5Z", "2026-12-01T08:00:00.123456+08:00"] {
                let reply = try await api.call(.get, "/api/v1/audit-logs?since=\(since.replacingOccurrences(of: "+", with: "%2B"))", token: owner)
                #expect(reply.status == 200, "\(since)")
            }
            let badQuery = try await api.call(.get, "/api/v1/audit-logs?since=yesterday", token: owner)
            #expect(badQuery.status == 400)
            #expect(((badQuery.json["error"] as? [String: Any])?["details"] as? [String: Any])?["field"] as? String == "since")
            #expect(badQuery.body.contains("Parameter 'since' must be an RFC 3339 date-time"))
        }
    }
}
