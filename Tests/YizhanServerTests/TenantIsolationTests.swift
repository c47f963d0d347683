import Foundation
import HTTPTypes
import Testing
import YizhanCore
import YizhanIdentity
import YizhanJobs
import YizhanServer
import YizhanStorage
import YizhanStorageSQLite
import YizhanTesting

/// For every route of the application, tenant A's user and A's API key can neither read nor change
/// tenant B's data: routes naming B's ids answer 404, no answer carries B's data, none is a 500,
/// and B is unchanged afterwards.
@Suite(.timeLimit(.minutes(5)))
struct TenantIsolationTests {
    @Test(arguments: TestEngines.all)
    func tenantACannotReachTenantBThroughAnyRoute(engine: DatabaseEngine) async throws {
        // The test routes are walked too: mounted, they must keep tenants apart like the rest.
        let configure: (inout YizhanConfiguration) -> Void = { $0.rateLimitBurst = 10_000; $0.rateLimitPerSecond = 10_000; $0.testRoutes = true }
        try await withIdentityTestApp(engine, configure: configure) { api, identity, database in
            // Tenant B, with data of every kind.
            let (bravo, bravoOwner) = try await identity.makeTenant("bravo")
            let (bravoToken, _) = try await api.login("bravo", "owner@bravo.test", ownerPassword)
            let bee = try await api.call(.post, "/api/v1/users", token: bravoToken, json: [
                "email": "bee@bravo.test", "password": "bee's long password", "name": "Bee Secretname", "roles": ["viewer"],
            ])
            let beeID = try #require(bee.data["id"] as? String)
            _ = try await api.call(.post, "/api/v1/roles", token: bravoToken, json: [
                "name": "bravo-role", "description": "Bravo private role", "permissions": ["users:read"],
            ])
            let bravoKey = try await api.call(.post, "/api/v1/api-keys", token: bravoToken, json: ["name": "Bravo machine", "permissions": ["users:read"]])
            let bravoKeyID = try #require((bravoKey.data["api_key"] as? [String: Any])?["id"] as? String)
            let bravoSecret = try #require(bravoKey.data["key"] as? String)
            let bravoApp = try await api.call(.post, "/api/v1/apps", token: bravoToken, json: [
                "name": "Bravo alerts app", "provider": "lark",
                "credentials": ["app_id": "cli_bravo", "app_secret": "BravoAppSecret", "encrypt_key": "BravoEncryptKey"],
            ])
            let bravoAppID = try #require(bravoApp.data["id"] as? String)
            let bravoMessage = try await api.call(.post, "/api/v1/messages", token: bravoToken, json: [
                "app": bravoAppID, "message": ["type": "text", "text": "BravoMessageText"], "recipients": [["type": "open_id", "id": "ou_bravo_person"]],
                "metadata": ["bravo": "BravoMessageMeta"],
            ])
            let bravoMessageID = try #require(bravoMessage.data["id"] as? String, "\(bravoMessage.body)")
            let bravoJobs = Jobs(database: database, clock: SystemTimeSource())
            let bravoJobID = try await database.transaction { work in
                try await bravoJobs.queue.enqueue(
                    NewJob(queue: "bravo-queue", kind: "bravo.kind", args: #"{"secret":"BravoJobArgs"}"#, tenantID: bravo.id), in: work)
            }.id
            let bravoMarkers = [
                "owner@bravo.test", "bee@bravo.test", "Bee Secretname", "Tenant bravo", "Bravo private role", "Bravo machine", bravoSecret,
                "Bravo alerts app", "cli_bravo", "BravoAppSecret", "BravoEncryptKey", "BravoJobArgs", "bravo.kind",
                "BravoMessageText", "BravoMessageMeta", "ou_bravo_person",
            ]

            // Tenant A: its owner, and a key holding every tenant permission.
            _ = try await identity.makeTenant("alpha")
            let (alphaToken, _) = try await api.login("alpha", "owner@alpha.test", ownerPassword)
            let alphaKeyReply = try await api.call(.post, "/api/v1/api-keys", token: alphaToken, json: [
                "name": "alpha all", "permissions": Permission.tenantScoped.map(\.rawValue),
            ])
            let alphaKey = try #require(alphaKeyReply.data["key"] as? String)

            let parameters = [
                "tenant_id": bravo.id, "user_id": beeID, "key_id": bravoKeyID, "role_name": "bravo-role", "app_id": bravoAppID,
                "job_id": String(bravoJobID), "queue_name": "bravo-queue", "message_id": bravoMessageID,
            ]
            var walked = YizhanConfiguration()
            walked.testRoutes = true
            let dependencies = try ServerDependencies(
                configuration: walked,
                database: try SQLiteDatabase(configuration: .init(path: "/tmp/yizhan-route-walk/unused.sqlite"), logger: quietLogger),
                logger: quietLogger)
            let routes = try App.buildRouter(dependencies).routes.routes
            #expect(routes.count >= 30)
            var checked = 0
            for route in routes {
                let template = "\(route.path)"
                var names: [String] = []
                let path = template.split(separator: "/").map { segment -> String in
                    guard segment.hasPrefix(":") || segment.hasPrefix("{") else { return String(segment) }
                    let name = segment.trimmingCharacters(in: CharacterSet(charactersIn: ":{}"))
                    names.append(name)
                    return parameters[name] ?? "unknown"
                }.reduce("") { $0 + "/" + $1 }
                var body = Self.body(for: route.operationID)
                if body["app"] as? String == "BRAVO_APP" { body["app"] = bravoAppID }
                if var batch = body["messages"] as? [[String: Any]] {
                    for index in batch.indices { batch[index]["app"] = bravoAppID }
                    body["messages"] = batch
                }
                for credential in ["token", "key"] {
                    // A fresh session per request, so logout routes do not end the walk.
                    let token = credential == "token" ? try await api.login("alpha", "owner@alpha.test", ownerPassword).access : nil
                    let reply = try await api.call(
                        route.method, path, token: token, apiKey: credential == "key" ? alphaKey : nil,
                        json: route.method == .get || route.method == .delete ? nil : body)
                    let label = "\(route.method.rawValue) \(template) with A's \(credential)"
                    #expect(reply.status < 500, "\(label) answered \(reply.status): \(reply.body)")
                    if !names.isEmpty {
                        #expect(reply.status == 404, "\(label) answered \(reply.status), not 404: \(reply.body)")
                    }
                    for marker in bravoMarkers {
                        #expect(!reply.body.contains(marker), "\(label) leaked B's '\(marker)'")
                    }
                    checked += 1
                }
            }
            #expect(checked == routes.count * 2)
            #expect(checked > 60)

            // B is exactly as it was.
            let bravoNow = try #require(try await identity.tenants.tenant(id: bravo.id))
            #expect(bravoNow.status == .active && bravoNow.name == "Tenant bravo")
            let beeNow = try #require(try await identity.users.user(id: beeID, tenantID: bravo.id))
            #expect(beeNow.name == "Bee Secretname" && beeNow.roles == ["viewer"])
            #expect(try await identity.users.user(id: bravoOwner.id, tenantID: bravo.id) != nil)
            #expect(try await identity.apiKeys.key(id: bravoKeyID, tenantID: bravo.id)?.revokedAt == nil)
            #expect(try await identity.roles.role(named: "bravo-role", tenantID: bravo.id)?.description == "Bravo private role")
            let bravoAppNow = try await api.call(.get, "/api/v1/apps/\(bravoAppID)", token: bravoToken)
            #expect(bravoAppNow.data["name"] as? String == "Bravo alerts app" && bravoAppNow.data["status"] as? String == "active")
            let bravoJob = try await bravoJobs.admin.job(id: bravoJobID, tenantID: bravo.id)
            #expect(bravoJob.state == .available && bravoJob.cancelRequestedAt == nil && bravoJob.attempt == 0)
            #expect(try await bravoJobs.admin.queueSummaries(tenantID: nil).allSatisfy { !$0.paused })
            let bravoMessages = try await api.call(.get, "/api/v1/messages", token: bravoToken)
            #expect((bravoMessages.data["items"] as? [[String: Any]])?.map { $0["id"] as? String } == [bravoMessageID])
            _ = try await api.login("bravo", "bee@bravo.test", "bee's long password")
            #expect(try await api.call(.get, "/api/v1/users", apiKey: bravoSecret).status == 200)
        }
    }

    /// A valid body for each operation that takes one, so a refusal is about the tenant, not the input.
    static func body(for operationID: String?) -> [String: Any] {
        let unique = UUID().uuidString.prefix(8).lowercased()
        switch operationID {
        case "sendMessageBatch":
            return ["messages": [["app": "BRAVO_APP", "message": ["type": "text", "text": "Hacked"], "recipients": [["type": "open_id", "id": "ou_x"]]]]]
        case "sendMessage": return ["app": "BRAVO_APP", "message": ["type": "text", "text": "Hacked"], "recipients": [["type": "open_id", "id": "ou_x"]]]
        case "login": return ["tenant": "bravo", "email": "owner@bravo.test", "password": "not the password!"]
        case "refreshToken": return ["refresh_token": "yzr_forged"]
        case "changeOwnPassword": return ["current_password": "wrong password!!", "new_password": "another long password"]
        case "createTenant": return ["code": "t\(unique)", "name": "T"]
        case "updateTenant": return ["status": "suspended", "name": "Hacked"]
        case "createUser": return ["email": "u\(unique)@alpha.test", "password": "a long password!", "name": "U", "roles": ["viewer"]]
        case "updateUser": return ["name": "Hacked", "roles": ["owner"]]
        case "resetUserPassword": return ["password": "hacked password!!"]
        case "createRole": return ["name": "r\(unique)", "permissions": ["users:read"]]
        case "updateRole": return ["description": "Hacked", "permissions": ["users:write"]]
        case "createAPIKey": return ["name": "k\(unique)", "permissions": ["users:read"]]
        case "createApp":
            return ["name": "a\(unique)", "provider": "wecom_robot", "credentials": ["key": "alpha\(unique)"]]
        case "updateApp": return ["name": "Hacked", "status": "disabled", "credentials": ["secret": "hackedSecret"]]
        case "storeAppTicket": return ["app_ticket": "alpha-ticket-\(unique)"]
        case "storeLarkUserToken": return ["code": "alpha-code-\(unique)", "redirect_uri": "https://alpha.example/callback"]
        case "echo": return ["message": "hello"]
        default: return [:]
        }
    }
}
