import HTTPTypes
import Testing
import YizhanAPI
import YizhanIdentity
import YizhanServer
import YizhanStorage
import YizhanTesting

/// `AuthMiddleware` as a middleware of the generated server: it finds each operation's requirement
/// by operation id, runs before the request is decoded, and its errors reach the caller with their
/// status, headers and details although the runtime wraps them in `ServerError`.
@Suite(.timeLimit(.minutes(2)))
struct OperationAuthorizationTests {
    @Test(arguments: TestEngines.all)
    func everyOperationWithoutACredentialIsAnsweredAsItsXPermissionSays(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, _, _ in
            for operation in OpenAPIOperation.all {
                let method = try #require(HTTPRequest.Method(operation.method))
                let path = operation.path.split(separator: "/").map { $0.hasPrefix("{") ? "x1" : String($0) }
                    .reduce("") { $0 + "/" + $1 }
                let reply = try await api.call(method, path, rawBody: method == .get || method == .delete ? nil : "{}")
                if operation.permission == "public" {
                    #expect(reply.status != 401 && reply.status != 403, "\(operation) answered \(reply.status): \(reply.body)")
                } else {
                    #expect(reply.status == 401, "\(operation) answered \(reply.status): \(reply.body)")
                    #expect(reply.headers[.wwwAuthenticate] == "Bearer", "\(operation)")
                    #expect(reply.errorCode == "UNAUTHORIZED", "\(operation)")
                }
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func aMissingCredentialIsAnsweredBeforeTheBodyIsRead(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, _ in
            _ = try await identity.makeTenant("acme")
            for body in ["{", #"{"email": 5}"#] {
                let anonymous = try await api.call(.post, "/api/v1/users", rawBody: body)
                #expect(anonymous.status == 401, "\(body): \(anonymous.body)")
                #expect(anonymous.headers[.wwwAuthenticate] == "Bearer")
            }
            let (owner, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            let authenticated = try await api.call(.post, "/api/v1/users", token: owner, rawBody: "{")
            #expect(authenticated.status == 400)
            #expect(authenticated.errorCode == "VALIDATION_ERROR")
        }
    }

    @Test(arguments: TestEngines.all)
    func aMissingPermissionIs403WithThePermissionAndAPlatformOneIsARouteNotFound(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, _ in
            _ = try await identity.makeTenant("acme")
            let (owner, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            let created = try await api.call(.post, "/api/v1/api-keys", token: owner, json: ["name": "reader", "permissions": ["users:read"]])
            let key = try #require(created.data["key"] as? String)

            let denied = try await api.call(.post, "/api/v1/roles", apiKey: key, json: ["name": "r", "permissions": ["users:read"]])
            #expect(denied.status == 403)
            #expect(denied.errorCode == "FORBIDDEN")
            let details = (denied.json["error"] as? [String: Any])?["details"] as? [String: Any]
            #expect(details?["permission"] as? String == "roles:write")

            // As the router words a path it does not know, without the query.
            let hidden = try await api.call(.get, "/api/v1/tenants?page_size=5", token: owner)
            #expect(hidden.status == 404)
            #expect(hidden.errorCode == "NOT_FOUND")
            let unknown = try await api.call(.get, "/api/v1/nowhere", token: owner)
            let hiddenMessage = (hidden.json["error"] as? [String: Any])?["message"] as? String
            let unknownMessage = (unknown.json["error"] as? [String: Any])?["message"] as? String
            #expect(hiddenMessage == "No route for GET /api/v1/tenants.")
            #expect(unknownMessage == "No route for GET /api/v1/nowhere.")
        }
    }

    @Test(arguments: TestEngines.all)
    func theRateLimitHeadersAreOnEveryAuthenticatedAnswer(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine, configure: { $0.rateLimitPerSecond = 0.01; $0.rateLimitBurst = 2 }) { api, identity, _ in
            _ = try await identity.makeTenant("acme")
            let (owner, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            let first = try await api.call(.get, "/api/v1/users", token: owner)
            #expect(first.status == 200)
            #expect(first.headers[HTTPField.Name("X-RateLimit-Limit")!] == "2")
            #expect(first.headers[HTTPField.Name("X-RateLimit-Remaining")!] == "1")
            #expect(first.headers[HTTPField.Name("X-RateLimit-Reset")!] != nil)
            _ = try await api.call(.get, "/api/v1/users", token: owner)
            let limited = try await api.call(.get, "/api/v1/users", token: owner)
            #expect(limited.status == 429)
            #expect(limited.headers[.retryAfter] != nil)
            #expect(limited.headers[HTTPField.Name("X-RateLimit-Remaining")!] == "0")
            let details = (limited.json["error"] as? [String: Any])?["details"] as? [String: Any]
            #expect(details?["retry_after_seconds"] as? Int != nil)
            let open = try await api.call(.get, "/health/live")
            #expect(open.headers[HTTPField.Name("X-RateLimit-Limit")!] == nil)
        }
    }
}
