import Foundation
import Hummingbird
import Logging
import YizhanCore
import YizhanCredentials
import YizhanIdentity

/// Routes for tests that drive several `yizhan serve` processes, mounted only with `testRoutes`
/// on (`YIZHAN_TEST_ROUTES=1`; off by default, never in production). They are not part of the API:
/// not in openapi.yaml, no stable contract. Each still needs an authenticated principal holding the
/// permission it names, and sees only its tenant's apps (another tenant's app is 404).
///
/// - `POST /_test/apps/{app_id}/token-burst` `{"callers": 100, "email": "…"}` (`apps:write`):
///   `callers` concurrent provider calls through the token pool (``TokenBurst``); answers
///   `{callers, succeeded, failures: {"<provider code>": n}}` in the envelope.
enum TestRoutes {
    static let tokenBurstPath = "/_test/apps/{app_id}/token-burst"

    static func add(to router: Router<AppRequestContext>, _ dependencies: ServerDependencies, timestamps: ResponseTimestamp) {
        let principals = dependencies.identity.principals
        let apps = dependencies.credentials.apps
        let burst = TokenBurst(tokens: dependencies.credentials.tokens)
        router.post(RouterPath(tokenBurstPath)) { request, context in
            let principal = try await authenticate(request, principals, needing: .appsWrite)
            let appID = context.parameters.get("app_id") ?? ""
            let app = try await apps.app(id: appID, tenantID: principal.tenantID)
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            let (callers, email) = try tokenBurstInput(Data(body.readableBytesView))
            let result = try await burst.run(app: app, callers: callers, email: email)
            let meta = ResponseMeta(requestID: context.requestID, timestamp: timestamps.now())
            return EnvelopeResponse.json(ResponseEnvelope.success(result, meta: meta), status: .ok)
        }
        dependencies.logger.warning("test routes are mounted (testRoutes is on): never do this in production", metadata: [
            "routes": "POST \(tokenBurstPath)"
        ])
    }

    /// The principal of the request's credential, if it holds `permission`: 401 without a
    /// credential, 403 without the permission.
    private static func authenticate(
        _ request: Request, _ principals: PrincipalResolver, needing permission: Permission
    ) async throws -> Principal {
        guard let credential = AuthMiddleware.credential(in: request.headers) else {
            throw YizhanError(
                .unauthorized, "Send an access token (Authorization: Bearer …) or an API key (X-API-Key).",
                headers: ["WWW-Authenticate": "Bearer"])
        }
        let principal = try await principals.resolve(credential)
        guard principal.has(permission) else {
            throw YizhanError(
                .forbidden, "This needs the permission '\(permission.rawValue)'.",
                details: ["permission": .string(permission.rawValue)])
        }
        return principal
    }

    /// `callers` (1 to ``TokenBurst/maximumCallers``, default 100) and `email` (required).
    static func tokenBurstInput(_ body: Data) throws -> (callers: Int, email: String) {
        let object = body.isEmpty ? [:] : (try? JSONSerialization.jsonObject(with: body)) as? [String: Any]
        guard let object else { throw YizhanError(.validationError, "The body must be a JSON object.") }
        let callers = object["callers"].map { $0 as? Int } ?? 100
        guard let callers, (1...TokenBurst.maximumCallers).contains(callers) else {
            throw InputRules.invalid("callers", "must be a whole number from 1 to \(TokenBurst.maximumCallers)")
        }
        guard let email = object["email"] as? String, !email.isEmpty, email.utf8.count <= 320 else {
            throw InputRules.invalid("email", "is required: the address each caller looks up")
        }
        return (callers, email)
    }
}
