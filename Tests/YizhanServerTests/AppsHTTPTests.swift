import Foundation
import HTTPTypes
import Testing
import YizhanIdentity
import YizhanServer
import YizhanStorage
import YizhanTesting

/// `/api/v1/apps` over HTTP on both engines: what a caller sends and sees, and that no answer or
/// audit entry ever carries a secret.
@Suite(.timeLimit(.minutes(5)))
struct AppsHTTPTests {
    static let secrets = ["LarkSecretOne", "LarkEncryptOne", "WeComSecretOne", "RobotKeyOne", "ReplacedSecret"]

    @Test(arguments: TestEngines.all)
    func appsAreRegisteredReadChangedAndDeletedWithoutASecretInAnyAnswer(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, _ in
            _ = try await identity.makeTenant("acme")
            let (token, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            var answers: [APIClient.Reply] = []

            let lark = try await api.call(.post, "/api/v1/apps", token: token, json: [
                "name": "Alerts", "provider": "lark", "base_url": "http://127.0.0.1:9/",
                "credentials": ["app_id": "cli_acme", "app_secret": "LarkSecretOne", "encrypt_key": "LarkEncryptOne"],
            ])
            answers.append(lark)
            #expect(lark.status == 201, "\(lark.body)")
            let larkID = try #require(lark.data["id"] as? String)
            #expect(lark.data["base_url"] as? String == "http://127.0.0.1:9")
            #expect((lark.data["identifiers"] as? [String: Any])?["app_id"] as? String == "cli_acme")
            #expect(lark.data["secrets_set"] as? [String] == ["app_secret", "encrypt_key"])
            #expect(lark.data["callback_path"] as? String == "/callbacks/lark/\(larkID)")
            #expect(lark.data["status"] as? String == "active")

            let wecom = try await api.call(.post, "/api/v1/apps", token: token, json: [
                "name": "通知", "provider": "wecom",
                "credentials": ["corp_id": "wwacme", "agent_id": 1_000_002, "secret": "WeComSecretOne"],
            ])
            answers.append(wecom)
            #expect(wecom.status == 201, "\(wecom.body)")
            #expect((wecom.data["identifiers"] as? [String: Any])?["agent_id"] as? Int == 1_000_002)
            let robot = try await api.call(.post, "/api/v1/apps", token: token, json: [
                "name": "Robot", "provider": "wecom_robot", "credentials": ["key": "RobotKeyOne"],
            ])
            answers.append(robot)
            #expect(robot.status == 201 && robot.data["callback_path"] == nil)

            let duplicate = try await api.call(.post, "/api/v1/apps", token: token, json: [
                "name": "Again", "provider": "wecom_robot", "credentials": ["key": "RobotKeyOne"],
            ])
            answers.append(duplicate)
            #expect(duplicate.status == 409 && duplicate.errorCode == "CONFLICT")

            let list = try await api.call(.get, "/api/v1/apps?provider=lark", token: token)
            answers.append(list)
            #expect((list.data["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [larkID])

            let patched = try await api.call(.patch, "/api/v1/apps/\(larkID)", token: token, json: [
                "name": "Alerts 2", "status": "disabled", "credentials": ["app_secret": "ReplacedSecret"],
            ])
            answers.append(patched)
            #expect(patched.status == 200 && patched.data["status"] as? String == "disabled" && patched.data["name"] as? String == "Alerts 2")
            let wrongSecret = try await api.call(.patch, "/api/v1/apps/\(larkID)", token: token, json: ["credentials": ["key": "x"]])
            answers.append(wrongSecret)
            #expect(wrongSecret.status == 422 && wrongSecret.errorCode == "VALIDATION_ERROR")

            let audit = try await api.call(.get, "/api/v1/audit-logs?target_id=\(larkID)", token: token)
            answers.append(audit)
            #expect((audit.data["items"] as? [[String: Any]])?.count == 2)

            let deleted = try await api.call(.delete, "/api/v1/apps/\(larkID)", token: token)
            answers.append(deleted)
            #expect(deleted.status == 200)
            #expect(try await api.call(.get, "/api/v1/apps/\(larkID)", token: token).status == 404)

            for answer in answers {
                for secret in Self.secrets { #expect(!answer.body.contains(secret), "an answer holds \(secret): \(answer.body)") }
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func verifyAnswersWhatTheProviderSaidAndNeverFailsForAProvidersRefusal(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, _ in
            _ = try await identity.makeTenant("acme")
            let (token, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            // Nothing listens on port 9: the provider never answers.
            let lark = try await api.call(.post, "/api/v1/apps", token: token, json: [
                "name": "Alerts", "provider": "lark", "base_url": "http://127.0.0.1:9/",
                "credentials": ["app_id": "cli_acme", "app_secret": "LarkSecretOne"],
            ])
            let larkID = try #require(lark.data["id"] as? String)
            let unreachable = try await api.call(.post, "/api/v1/apps/\(larkID)/verify", token: token)
            #expect(unreachable.status == 200, "\(unreachable.body)")
            #expect(unreachable.data["ok"] as? Bool == false && unreachable.data["provider_code"] as? Int == 0)
            #expect(unreachable.data["latency_ms"] is Int && unreachable.data["token_expires_in"] == nil)
            #expect(!unreachable.body.contains("LarkSecretOne"))

            let robot = try await api.call(.post, "/api/v1/apps", token: token, json: [
                "name": "Robot", "provider": "wecom_robot", "credentials": ["key": "RobotKeyOne"],
            ])
            let robotID = try #require(robot.data["id"] as? String)
            let offline = try await api.call(.post, "/api/v1/apps/\(robotID)/verify", token: token)
            #expect(offline.status == 200 && offline.data["ok"] as? Bool == true, "\(offline.body)")

            _ = try await api.call(.patch, "/api/v1/apps/\(larkID)", token: token, json: ["status": "disabled"])
            let disabled = try await api.call(.post, "/api/v1/apps/\(larkID)/verify", token: token)
            #expect(disabled.errorCode == "APP_DISABLED", "\(disabled.body)")
        }
    }

    @Test(arguments: TestEngines.all)
    func badBodiesAreRefusedNamingTheFieldAndViewersCannotWrite(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, _ in
            _ = try await identity.makeTenant("acme")
            let (token, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            let bodies: [[String: Any]] = [
                ["name": "x", "provider": "telegram", "credentials": ["key": "k"]],
                ["name": "x", "provider": "lark", "credentials": ["app_id": "cli_1"]],
                ["name": "x", "provider": "lark", "credentials": ["app_id": "not-a-lark-id", "app_secret": "s"]],
                ["name": "x", "provider": "wecom", "credentials": ["corp_id": "ww1", "agent_id": "one", "secret": "s"]],
                ["name": "x", "provider": "lark_bot", "base_url": "https://open.feishu.cn",
                 "credentials": ["webhook_url": "https://open.feishu.cn/open-apis/bot/v2/hook/abc"]],
            ]
            for body in bodies {
                let reply = try await api.call(.post, "/api/v1/apps", token: token, json: body)
                #expect(reply.status == 400 && reply.errorCode == "VALIDATION_ERROR", "\(body) → \(reply.status) \(reply.body)")
            }
            let noAppID = try await api.call(.post, "/api/v1/apps", token: token, json: [
                "name": "x", "provider": "lark", "credentials": ["app_id": "app1", "app_secret": "s"],
            ])
            #expect(((noAppID.json["error"] as? [String: Any])?["details"] as? [String: Any])?["field"] as? String == "credentials.app_id")
            #expect(try await api.call(.get, "/api/v1/apps", token: token).data["pagination"] != nil)
            // Hosts the operator did not allow (the cloud metadata service, the private network, plain
            // http to a public API) are refused by rule, and nothing is registered.
            for baseURL in ["http://169.254.169.254/latest", "http://10.1.2.3:8080", "http://open.feishu.cn"] {
                let pointed = try await api.call(.post, "/api/v1/apps", token: token, json: [
                    "name": "x", "provider": "lark", "base_url": baseURL, "credentials": ["app_id": "cli_1", "app_secret": "s"],
                ])
                #expect(pointed.status == 422 && pointed.errorCode == "VALIDATION_ERROR", "\(baseURL) → \(pointed.status) \(pointed.body)")
            }
            #expect((try await api.call(.get, "/api/v1/apps", token: token).data["items"] as? [Any])?.count == 0)

            let viewerUser = try await api.call(.post, "/api/v1/users", token: token, json: [
                "email": "viewer@acme.test", "password": "viewer's long password", "name": "Viewer", "roles": ["viewer"],
            ])
            #expect(viewerUser.status == 201, "\(viewerUser.body)")
            let (viewer, _) = try await api.login("acme", "viewer@acme.test", "viewer's long password")
            #expect(try await api.call(.get, "/api/v1/apps", token: viewer).status == 200)
            let refused = try await api.call(.post, "/api/v1/apps", token: viewer, json: [
                "name": "x", "provider": "wecom_robot", "credentials": ["key": "k"],
            ])
            #expect(refused.status == 403)
        }
    }
}
