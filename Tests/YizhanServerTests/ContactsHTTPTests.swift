import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import ProviderSandbox
import Testing
@testable import YizhanServer
import YizhanJobs
import YizhanStorage
import YizhanTesting

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// `GET /api/v1/apps/{id}/contacts` over HTTP on both engines, against the provider sandbox over
/// real HTTP: what a caller sees for people found, cached, missing, and for apps that cannot look.
@Suite(.timeLimit(.minutes(5)))
struct ContactsHTTPTests {
    static let batchGetID = "/open-apis/contact/v3/users/batch_get_id"
    static let byEmail = "/cgi-bin/user/get_userid_by_email"

    @Test(arguments: TestEngines.all)
    func peopleAreFoundCachedAndRefreshedAndMissingPeopleAreContactNotFoundAndKept(engine: DatabaseEngine) async throws {
        try await withContactsSandbox { sandbox in
            try await withIdentityTestApp(engine) { api, identity, _ in
                _ = try await identity.makeTenant("acme")
                let (token, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
                let (larkID, wecomID) = try await Self.register(api, token: token, sandbox: sandbox)

                let alice = try await api.call(.get, "/api/v1/apps/\(larkID)/contacts?email=%20Alice%40Corp.Example", token: token)
                #expect(alice.status == 200, "\(alice.body)")
                #expect(alice.data["provider"] as? String == "lark" && alice.data["email"] as? String == "alice@corp.example")
                #expect(alice.data["open_id"] as? String == "ou_alice" && alice.data["union_id"] as? String == "on_alice")
                #expect(alice.data["user_id"] as? String == "alice" && alice.data["userid"] == nil && alice.data["mobile"] == nil)
                #expect(alice.data["from_cache"] as? Bool == false && alice.data["looked_up_at"] is String)

                let cached = try await api.call(.get, "/api/v1/apps/\(larkID)/contacts?email=alice@corp.example", token: token)
                #expect(cached.data["from_cache"] as? Bool == true && cached.data["open_id"] as? String == "ou_alice")
                #expect(try await sandbox.calls("lark", "cli_http", Self.batchGetID) == 1)
                let refreshed = try await api.call(.get, "/api/v1/apps/\(larkID)/contacts?email=alice@corp.example&refresh=true", token: token)
                #expect(refreshed.data["from_cache"] as? Bool == false)
                #expect(try await sandbox.calls("lark", "cli_http", Self.batchGetID) == 2)

                let byMobile = try await api.call(.get, "/api/v1/apps/\(larkID)/contacts?mobile=%2B8613800000001", token: token)
                #expect(byMobile.status == 200 && byMobile.data["mobile"] as? String == "+8613800000001", "\(byMobile.body)")
                // The plus left unescaped reads as a space, and is taken back as a plus.
                let unescaped = try await api.call(.get, "/api/v1/apps/\(larkID)/contacts?mobile=+8613800000001", token: token)
                #expect(unescaped.data["mobile"] as? String == "+8613800000001" && unescaped.data["from_cache"] as? Bool == true)

                let member = try await api.call(.get, "/api/v1/apps/\(wecomID)/contacts?mobile=13800000002", token: token)
                #expect(member.status == 200, "\(member.body)")
                #expect(member.data["provider"] as? String == "wecom" && member.data["userid"] as? String == "lisi")
                #expect(member.data["open_id"] == nil && member.data["user_id"] == nil)

                // A miss is kept (an hour): asked again, it costs the provider nothing, unless refreshed.
                for fromCache in [false, true] {
                    for path in ["/api/v1/apps/\(larkID)/contacts?email=nobody@corp.example", "/api/v1/apps/\(wecomID)/contacts?email=nobody@corp.example"] {
                        let missing = try await api.call(.get, path, token: token)
                        #expect(missing.status == 404 && missing.errorCode == "CONTACT_NOT_FOUND", "\(missing.body)")
                        let details = (missing.json["error"] as? [String: Any])?["details"] as? [String: Any]
                        #expect(details?["from_cache"] as? Bool == fromCache, "\(missing.body)")
                    }
                }
                #expect(try await sandbox.calls("lark", "cli_http", Self.batchGetID) == 4)
                #expect(try await sandbox.calls("wecom", "wwhttp", Self.byEmail) == 2, "the corporate mailbox, then the personal address, once")
                let again = try await api.call(.get, "/api/v1/apps/\(larkID)/contacts?email=nobody@corp.example&refresh=true", token: token)
                #expect(again.status == 404 && again.errorCode == "CONTACT_NOT_FOUND")
                #expect(try await sandbox.calls("lark", "cli_http", Self.batchGetID) == 5, "refresh asks again")
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func badQueriesRobotsDisabledAppsOtherTenantsAndProviderFailuresAreClearErrors(engine: DatabaseEngine) async throws {
        try await withContactsSandbox { sandbox in
            try await withIdentityTestApp(engine) { api, identity, _ in
                _ = try await identity.makeTenant("acme")
                _ = try await identity.makeTenant("other")
                let (token, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
                let (otherToken, _) = try await api.login("other", "owner@other.test", ownerPassword)
                let (larkID, _) = try await Self.register(api, token: token, sandbox: sandbox)

                // Neither or both is refused by rule (422: the document cannot say "exactly one").
                let queries: [(String, String, Int)] = [
                    ("", "email", 422), ("?email=not-an-email", "email", 400), ("?email=a@b.cn&mobile=13800000000", "mobile", 422),
                    ("?mobile=138-0000-0000", "mobile", 400), ("?refresh=true", "email", 422),
                ]
                for (query, field, status) in queries {
                    let bad = try await api.call(.get, "/api/v1/apps/\(larkID)/contacts\(query)", token: token)
                    #expect(bad.status == status && bad.errorCode == "VALIDATION_ERROR", "\(query): \(bad.body)")
                    #expect(((bad.json["error"] as? [String: Any])?["details"] as? [String: Any])?["field"] as? String == field, "\(query)")
                }
                let notBoolean = try await api.call(.get, "/api/v1/apps/\(larkID)/contacts?email=a@b.cn&refresh=maybe", token: token)
                #expect(notBoolean.status == 400 && notBoolean.errorCode == "VALIDATION_ERROR", "\(notBoolean.body)")

                let robot = try await api.call(.post, "/api/v1/apps", token: token, json: [
                    "name": "Robot", "provider": "wecom_robot", "credentials": ["key": "RobotKeyContacts"],
                ])
                let robotID = try #require(robot.data["id"] as? String)
                let refused = try await api.call(.get, "/api/v1/apps/\(robotID)/contacts?email=alice@corp.example", token: token)
                #expect(refused.status == 422 && refused.errorCode == "VALIDATION_ERROR", "\(refused.body)")

                let hidden = try await api.call(.get, "/api/v1/apps/\(larkID)/contacts?email=alice@corp.example", token: otherToken)
                #expect(hidden.status == 404 && hidden.errorCode == "NOT_FOUND", "\(hidden.body)")

                // A wrong secret: the provider's code, never the secret, and never a 500.
                let patched = try await api.call(.patch, "/api/v1/apps/\(larkID)", token: token, json: ["credentials": ["app_secret": "WrongContactsSecret"]])
                #expect(patched.status == 200)
                let failed = try await api.call(.get, "/api/v1/apps/\(larkID)/contacts?email=alice@corp.example", token: token)
                #expect(failed.status == 502 && failed.errorCode == "PROVIDER_ERROR", "\(failed.body)")
                #expect(((failed.json["error"] as? [String: Any])?["details"] as? [String: Any])?["provider_code"] as? Int == 10014)
                #expect(!failed.body.contains("WrongContactsSecret") && !failed.body.contains("LarkHTTPSecret"))

                _ = try await api.call(.patch, "/api/v1/apps/\(larkID)", token: token, json: ["status": "disabled"])
                let disabled = try await api.call(.get, "/api/v1/apps/\(larkID)/contacts?email=alice@corp.example", token: token)
                #expect(disabled.status == 409 && disabled.errorCode == "APP_DISABLED", "\(disabled.body)")
                #expect(try await sandbox.calls("lark", "cli_http", Self.batchGetID) == 0)
            }
        }
    }

    @Test
    func thePruneOfExpiredEntriesIsScheduledHourlyOnTheMaintenanceQueue() throws {
        let periodic = try JobHandlers.workerConfiguration(YizhanConfiguration()).periodicJobs
        let prune = try #require(periodic.first { $0.name == PruneContactsJob.kind })
        #expect(prune.schedule == (try CronExpression("29 * * * *")))
        let job = try prune.job(Date())
        #expect(job.kind == "credentials.prune_contacts" && job.queue == JobQueue.maintenanceQueue)
    }

    /// A Lark and a WeCom app registered through the API, pointing at the sandbox.
    static func register(_ api: APIClient, token: String, sandbox: ContactsSandbox) async throws -> (lark: String, wecom: String) {
        let lark = try await api.call(.post, "/api/v1/apps", token: token, json: [
            "name": "Lark", "provider": "lark", "base_url": sandbox.baseURL,
            "credentials": ["app_id": "cli_http", "app_secret": "LarkHTTPSecret"],
        ])
        let wecom = try await api.call(.post, "/api/v1/apps", token: token, json: [
            "name": "WeCom", "provider": "wecom", "base_url": sandbox.baseURL,
            "credentials": ["corp_id": "wwhttp", "agent_id": 1_000_002, "secret": "WeComHTTPSecret"],
        ])
        return (try #require(lark.data["id"] as? String, "\(lark.body)"), try #require(wecom.data["id"] as? String, "\(wecom.body)"))
    }
}

/// A running sandbox with a Lark and a WeCom app and one person in each directory.
struct ContactsSandbox: Sendable {
    let baseURL: String

    /// How many calls of `path` the sandbox counted for the app.
    func calls(_ provider: String, _ appID: String, _ path: String) async throws -> Int {
        let url = URL(string: baseURL + "/_sandbox/stats?provider=\(provider)&app_id=\(appID)")!
        let (data, _) = try await URLSession.shared.data(from: url)
        let stats = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        return (stats?["calls"] as? [String: Int])?[path] ?? 0
    }
}

func withContactsSandbox(_ body: @Sendable (ContactsSandbox) async throws -> Void) async throws {
    let sandbox = ProviderSandbox()
    try await sandbox.seed(Data("""
        {"lark": {
           "apps": [{"app_id": "cli_http", "app_secret": "LarkHTTPSecret", "rate_limits": false}],
           "users": [{"open_id": "ou_alice", "union_id": "on_alice", "user_id": "alice", "email": "alice@corp.example",
                      "mobile": "+8613800000001", "name": "Alice"}]},
         "wecom": {
           "apps": [{"corp_id": "wwhttp", "agent_id": 1000002, "secret": "WeComHTTPSecret"}],
           "users": [{"corp_id": "wwhttp", "userid": "lisi", "name": "李四", "mobile": "13800000002"}]}}
        """.utf8))
    var logger = Logger(label: "sandbox.test")
    logger.logLevel = .warning
    try await sandbox.application(port: 0, logger: logger).test(.live) { client in
        try await body(ContactsSandbox(baseURL: "http://127.0.0.1:\(client.port!)"))
    }
}
