import Foundation
import HTTPTypes
import Testing
import YizhanIdentity
import YizhanServer
import YizhanStorage
import YizhanTesting

/// The `/_test/` routes: absent unless `testRoutes` is on, and then closed to callers without the
/// permission they name, like the API. (The token burst itself is run by TokenPoolMultiProcessTests;
/// another tenant's app is walked by TenantIsolationTests.)
@Suite(.timeLimit(.minutes(3)))
struct TestRoutesTests {
    @Test
    func theTokenBurstRouteIsNotMountedByDefault() async throws {
        try await withIdentityTestApp(.sqlite) { api, identity, _ in
            _ = try await identity.makeTenant("acme")
            let (token, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            let reply = try await api.call(.post, "/_test/apps/app_x/token-burst", token: token, json: ["email": "a@example.com"])
            #expect(reply.status == 404 && reply.errorCode == "NOT_FOUND", "\(reply.body)")
        }
    }

    @Test(arguments: TestEngines.all)
    func theTokenBurstRouteNeedsAppsWriteAndValidatesItsInput(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine, configure: { $0.testRoutes = true }) { api, identity, _ in
            _ = try await identity.makeTenant("acme")
            let (token, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            let lark = try await api.call(.post, "/api/v1/apps", token: token, json: [
                "name": "Lark", "provider": "lark", "base_url": "http://127.0.0.1:9",
                "credentials": ["app_id": "cli_burst", "app_secret": "LarkBurstSecret"],
            ])
            let larkID = try #require(lark.data["id"] as? String)
            let robot = try await api.call(.post, "/api/v1/apps", token: token, json: [
                "name": "Robot", "provider": "wecom_robot", "credentials": ["key": "robotkey0001"],
            ])
            let robotID = try #require(robot.data["id"] as? String)
            let reader = try await api.call(.post, "/api/v1/api-keys", token: token, json: ["name": "reader", "permissions": ["apps:read"]])
            let readerKey = try #require(reader.data["key"] as? String)
            let good: [String: Any] = ["callers": 3, "email": "a@example.com"]

            let anonymous = try await api.call(.post, "/_test/apps/\(larkID)/token-burst", json: good)
            #expect(anonymous.status == 401 && anonymous.errorCode == "UNAUTHORIZED")
            let unpermitted = try await api.call(.post, "/_test/apps/\(larkID)/token-burst", apiKey: readerKey, json: good)
            #expect(unpermitted.status == 403 && unpermitted.errorCode == "FORBIDDEN")
            let unknown = try await api.call(.post, "/_test/apps/app_unknown/token-burst", token: token, json: good)
            #expect(unknown.status == 404 && unknown.errorCode == "NOT_FOUND")
            for (body, field) in [
                (["callers": 0, "email": "a@example.com"] as [String: Any], "callers"), (["callers": 1001, "email": "a@example.com"], "callers"),
                (["callers": "many", "email": "a@example.com"], "callers"), (["callers": 3], "email"),
            ] {
                let refused = try await api.call(.post, "/_test/apps/\(larkID)/token-burst", token: token, json: body)
                #expect(refused.status == 400 && refused.errorCode == "VALIDATION_ERROR", "\(body): \(refused.body)")
                #expect((refused.json["error"] as? [String: Any])?["details"] as? [String: String] == ["field": field], "\(refused.body)")
            }
            let malformed = try await api.call(.post, "/_test/apps/\(larkID)/token-burst", token: token, rawBody: "{not json")
            #expect(malformed.status == 400 && malformed.errorCode == "VALIDATION_ERROR")
            let noTokens = try await api.call(.post, "/_test/apps/\(robotID)/token-burst", token: token, json: good)
            #expect(noTokens.status == 400 && noTokens.errorCode == "VALIDATION_ERROR", "\(noTokens.body)")

            // A provider that does not answer: each caller's failure is counted, the request answers.
            let unreachable = try await api.call(.post, "/_test/apps/\(larkID)/token-burst", token: token, json: good)
            #expect(unreachable.status == 200, "\(unreachable.body)")
            #expect(unreachable.data["callers"] as? Int == 3 && unreachable.data["succeeded"] as? Int == 0, "\(unreachable.body)")
            #expect((unreachable.data["failures"] as? [String: Int])?["0"] == 3, "\(unreachable.body)")
        }
    }
}
