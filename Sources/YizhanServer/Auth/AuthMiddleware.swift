import Foundation
import HTTPTypes
import Hummingbird
import YizhanCore
import YizhanIdentity

/// Enforces each operation's `x-permission`: authenticates the credential, checks the permission,
/// applies the rate limit, and binds ``Principal/current`` for the handler.
///
/// A caller outside the platform tenant who lacks a platform permission gets 404, as if the route
/// did not exist: other tenants' existence is not theirs to learn. Every other missing permission is
/// 403 `FORBIDDEN`.
struct AuthMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let permissions: OperationPermissions
    let principals: PrincipalResolver
    let rateLimiter: RateLimiter

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard let operation = permissions.operation(request.method, path: request.uri.path) else {
            return try await next(request, context)  // a plain route, or none: the router answers
        }
        guard let requirement = operation.requirement else {
            throw YizhanError(.forbidden, "This operation declares no permission and is closed.")
        }
        if requirement == .public { return try await next(request, context) }

        guard let credential = Self.credential(in: request.headers) else {
            throw YizhanError(
                .unauthorized, "Send an access token (Authorization: Bearer …) or an API key (X-API-Key).",
                headers: ["WWW-Authenticate": "Bearer"])
        }
        let principal = try await principals.resolve(credential)
        if case .permission(let permission) = requirement, !principal.has(permission) {
            if Permission.platformScoped.contains(permission) && principal.tenantCode != Tenant.platformCode {
                throw YizhanError(.notFound, "No route for \(request.method.rawValue) \(request.uri.path).")
            }
            throw YizhanError(
                .forbidden, "This needs the permission '\(permission.rawValue)'.",
                details: ["permission": .string(permission.rawValue)])
        }

        let decision = rateLimiter.take(principal.actorType + ":" + principal.actorID)
        let limitHeaders = [
            "X-RateLimit-Limit": String(decision.limit),
            "X-RateLimit-Remaining": String(decision.remaining),
            "X-RateLimit-Reset": String(decision.resetSeconds),
        ]
        guard decision.allowed else {
            var headers = limitHeaders
            headers["Retry-After"] = String(decision.retryAfterSeconds)
            throw YizhanError(
                .rateLimited, "Too many requests; retry in \(decision.retryAfterSeconds) s.",
                details: ["retry_after_seconds": .int(decision.retryAfterSeconds)], headers: headers)
        }
        var response = try await Principal.$current.withValue(principal) {
            try await next(request, context)
        }
        for (name, value) in limitHeaders {
            if let field = HTTPField.Name(name) { response.headers[field] = value }
        }
        return response
    }

    /// `Authorization: Bearer <token>` or `X-API-Key: <key>`.
    static func credential(in headers: HTTPFields) -> String? {
        if let authorization = headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            if parts.count == 2, parts[0].lowercased() == "bearer" {
                let token = parts[1].trimmingCharacters(in: .whitespaces)
                if !token.isEmpty { return token }
            }
        }
        if let key = headers[.apiKey], !key.isEmpty { return key }
        return nil
    }
}

extension HTTPField.Name {
    /// `X-API-Key`: an API key, as an alternative to `Authorization: Bearer yz_…`.
    static let apiKey = HTTPField.Name("X-API-Key")!
}
