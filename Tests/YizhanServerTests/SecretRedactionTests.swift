import Foundation
import HTTPTypes
import Logging
import Testing
import YizhanIdentity
import YizhanServer
import YizhanStorage
import YizhanTesting

/// No password, refresh token, access token or API key secret reaches a log line, an error, or any
/// response other than the one that hands it out.
@Suite(.timeLimit(.minutes(3)))
struct SecretRedactionTests {
    @Test(arguments: TestEngines.all)
    func secretsAppearInNoLogLineErrorOrLaterResponse(engine: DatabaseEngine) async throws {
        let captured = LoggingTests.Captured()
        let logger = LoggerFactory(format: .json, level: .trace, sink: captured.sink()).makeLogger(label: "yizhan")
        let replies = RepliesBox()
        try await withIdentityTestApp(engine, logger: logger) { api, identity, _ in
            var secrets: [String] = [ownerPassword]
            _ = try await identity.makePlatform()
            let (root, rootRefresh) = try await api.login("platform", "root@platform.test", ownerPassword)
            secrets += [root, rootRefresh]

            let tenantPassword = "tenant owner's password"
            secrets.append(tenantPassword)
            replies.add(try await api.call(.post, "/api/v1/tenants", token: root, json: [
                "code": "acme", "name": "Acme", "owner_email": "boss@acme.test", "owner_password": tenantPassword,
            ]))
            let wrongPassword = "a wrong password guess"
            secrets.append(wrongPassword)
            replies.add(try await api.call(.post, "/api/v1/auth/login", json: ["tenant": "acme", "email": "boss@acme.test", "password": wrongPassword]))
            let (firstBoss, bossRefresh) = try await api.login("acme", "boss@acme.test", tenantPassword)
            secrets += [firstBoss, bossRefresh]
            let rotated = try await api.call(.post, "/api/v1/auth/refresh", json: ["refresh_token": bossRefresh])
            let next = try #require(rotated.data["refresh_token"] as? String)
            secrets.append(next)
            replies.add(try await api.call(.post, "/api/v1/auth/refresh", json: ["refresh_token": bossRefresh]))  // reuse
            // The reuse revoked that session; a new one carries on.
            let (boss, _) = try await api.login("acme", "boss@acme.test", tenantPassword)
            secrets.append(boss)

            let userPassword = "new user's password"
            secrets.append(userPassword)
            replies.add(try await api.call(.post, "/api/v1/users", token: boss, json: [
                "email": "eve@acme.test", "password": userPassword, "name": "Eve", "roles": ["viewer"],
            ]))
            replies.add(try await api.call(.post, "/api/v1/users", token: boss, json: [
                "email": "weak@acme.test", "password": "weakpw", "name": "W", "roles": [],
            ]))
            let created = try await api.call(.post, "/api/v1/api-keys", token: boss, json: ["name": "ci", "permissions": ["users:read"]])
            let key = try #require(created.data["key"] as? String)
            secrets.append(key)
            replies.add(try await api.call(.get, "/api/v1/users", apiKey: key))
            replies.add(try await api.call(.get, "/api/v1/api-keys", token: boss))
            let changed = "boss's changed password"
            secrets.append(changed)
            replies.add(try await api.call(.post, "/api/v1/me/password", token: boss, json: ["current_password": tenantPassword, "new_password": changed]))
            replies.add(try await api.call(.get, "/api/v1/me", token: boss))  // now refused
            let (boss2, _) = try await api.login("acme", "boss@acme.test", changed)
            replies.add(try await api.call(.get, "/api/v1/audit-logs?page_size=200", token: boss2))
            replies.add(try await api.call(.get, "/api/v1/audit-logs?page_size=200", token: root))

            let logs = captured.text
            #expect(logs.contains("\"path\":\"/api/v1/auth/login\""), "the requests were logged")
            for secret in secrets {
                #expect(!logs.contains(secret), "a secret reached the log")
                for reply in replies.all {
                    #expect(!reply.body.contains(secret), "a secret reached a response: \(reply.body.prefix(200))")
                    #expect(!reply.headers.map(\.value).contains { $0.contains(secret) })
                }
            }
        }
    }
}

/// Replies gathered while the test runs.
final class RepliesBox: @unchecked Sendable {
    private let lock = NSLock()
    private var replies: [APIClient.Reply] = []
    func add(_ reply: APIClient.Reply) { lock.withLock { replies.append(reply) } }
    var all: [APIClient.Reply] { lock.withLock { replies } }
}
