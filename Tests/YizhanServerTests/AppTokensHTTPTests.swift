import Foundation
import HTTPTypes
import SQLKit
import Testing
import YizhanIdentity
import YizhanServer
import YizhanStorage
import YizhanTesting

/// `POST /api/v1/apps/{id}/app-ticket` and `/user-tokens` over HTTP on both engines: who may
/// post what, the stable codes of each refusal, and that no answer or audit entry carries the
/// ticket. (The tokens they lead to are tested against the sandbox in YizhanCredentialsTests.)
@Suite(.timeLimit(.minutes(5)))
struct AppTokensHTTPTests {
    @Test(arguments: TestEngines.all)
    func aMarketplaceAppTakesATicketAndOtherAppsRefuseItWithAStableCode(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, database in
            _ = try await identity.makeTenant("acme")
            let (token, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            var answers: [APIClient.Reply] = []
            let market = try await api.call(.post, "/api/v1/apps", token: token, json: [
                "name": "Market", "provider": "lark_marketplace", "base_url": "http://127.0.0.1:9/",
                "credentials": ["app_id": "cli_market", "app_secret": "MarketSecretOne"],
            ])
            let marketID = try #require(market.data["id"] as? String)
            let stored = try await api.call(.post, "/api/v1/apps/\(marketID)/app-ticket", token: token, json: ["app_ticket": "TicketValueOne"])
            answers.append(stored)
            #expect(stored.status == 204, "\(stored.body)")
            let sealed = try await database.withConnection { work in
                try await work.raw("SELECT token FROM provider_tokens WHERE app_id = \(bind: marketID) AND kind = 'lark_app_ticket'")
                    .first()?.decode(column: "token", as: String.self)
            }
            #expect(sealed?.isEmpty == false && sealed?.contains("TicketValueOne") == false)

            let audit = try await api.call(.get, "/api/v1/audit-logs?action=app.app_ticket.store", token: token)
            answers.append(audit)
            let entries = audit.data["items"] as? [[String: Any]] ?? []
            #expect(entries.count == 1 && entries.first?["target_id"] as? String == marketID, "\(audit.body)")

            for body in [[String: Any](), ["app_ticket": ""], ["app_ticket": "two words"], ["app_ticket": 42]] {
                let bad = try await api.call(.post, "/api/v1/apps/\(marketID)/app-ticket", token: token, json: body)
                answers.append(bad)
                #expect(bad.status == 400, "\(body) → \(bad.status) \(bad.body)")
            }
            let lark = try await api.call(.post, "/api/v1/apps", token: token, json: [
                "name": "Self-built", "provider": "lark", "credentials": ["app_id": "cli_self", "app_secret": "LarkSecretOne"],
            ])
            let larkID = try #require(lark.data["id"] as? String)
            let wrongProvider = try await api.call(.post, "/api/v1/apps/\(larkID)/app-ticket", token: token, json: ["app_ticket": "TicketValueTwo"])
            answers.append(wrongProvider)
            #expect(wrongProvider.status == 422 && wrongProvider.errorCode == "VALIDATION_ERROR", "\(wrongProvider.body)")
            #expect(((wrongProvider.json["error"] as? [String: Any])?["details"] as? [String: Any])?["field"] as? String == "provider")
            let unknown = try await api.call(.post, "/api/v1/apps/app_unknown/app-ticket", token: token, json: ["app_ticket": "TicketValueTwo"])
            #expect(unknown.status == 404)

            _ = try await api.call(.patch, "/api/v1/apps/\(marketID)", token: token, json: ["status": "disabled"])
            let disabled = try await api.call(.post, "/api/v1/apps/\(marketID)/app-ticket", token: token, json: ["app_ticket": "TicketValueTwo"])
            answers.append(disabled)
            #expect(disabled.status == 409 && disabled.errorCode == "APP_DISABLED", "\(disabled.body)")

            for answer in answers {
                #expect(!answer.body.contains("TicketValue") && !answer.body.contains("MarketSecretOne"), "\(answer.body)")
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func aUserTokenExchangeRefusesBadInputAndSaysWhenLarkCannotBeReached(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, _ in
            _ = try await identity.makeTenant("acme")
            let (token, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            // Nothing listens on port 9: Lark never answers.
            let lark = try await api.call(.post, "/api/v1/apps", token: token, json: [
                "name": "Self-built", "provider": "lark", "base_url": "http://127.0.0.1:9/",
                "credentials": ["app_id": "cli_self", "app_secret": "LarkSecretOne"],
            ])
            let larkID = try #require(lark.data["id"] as? String)
            let unreachable = try await api.call(.post, "/api/v1/apps/\(larkID)/user-tokens", token: token, json: ["code": "CodeValueOne"])
            #expect(unreachable.status == 503 && unreachable.errorCode == "SERVICE_UNAVAILABLE", "\(unreachable.body)")

            let bodies: [[String: Any]] = [
                [:], ["code": ""], ["code": "a b"], ["code": "abc", "redirect_uri": "not a url"], ["code": "abc", "code_verifier": "short"],
            ]
            for body in bodies {
                let bad = try await api.call(.post, "/api/v1/apps/\(larkID)/user-tokens", token: token, json: body)
                #expect(bad.status == 400 && bad.errorCode == "VALIDATION_ERROR", "\(body) → \(bad.status) \(bad.body)")
            }
            let robot = try await api.call(.post, "/api/v1/apps", token: token, json: [
                "name": "Robot", "provider": "wecom_robot", "credentials": ["key": "RobotKeyOne"],
            ])
            let robotID = try #require(robot.data["id"] as? String)
            let wrongProvider = try await api.call(.post, "/api/v1/apps/\(robotID)/user-tokens", token: token, json: ["code": "abc"])
            #expect(wrongProvider.status == 422 && wrongProvider.errorCode == "VALIDATION_ERROR", "\(wrongProvider.body)")
            #expect(!unreachable.body.contains("CodeValueOne") && !unreachable.body.contains("LarkSecretOne"))
        }
    }
}
