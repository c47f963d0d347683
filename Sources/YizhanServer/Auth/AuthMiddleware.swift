import HTTPTypes
import OpenAPIRuntime
import YizhanCore
import YizhanIdentity

/// Enforces each operation's `x-permission`: authenticates the credential, checks the permission,
/// applies the rate limit, and binds ``Principal/current`` for the handler.
///
/// It is a middleware of the generated server, which hands it the operation id of the route the
/// router matched; the requirement is looked up by that id (``AccessRequirement/byOperationID``,
/// built from openapi.yaml at build time). It runs before the generated code reads the request, so
/// a missing credential is answered 401 before a malformed body could be 400. What it throws reaches
/// the edge wrapped in the runtime's `ServerError`, which ``ErrorMapper`` unwraps.
///
/// A caller outside the platform tenant who lacks a platform permission gets 404, as if the route
/// did not exist: other tenants' existence is not theirs to learn. Every other missing permission is
/// 403 `FORBIDDEN`.
struct AuthMiddleware: ServerMiddleware {
    /// What each operation requires, by operation id.
    let requirements: [String: AccessRequirement]
    let principals: PrincipalResolver
    let rateLimiter: RateLimiter

    func intercept(
        _ request: HTTPRequest,
        body: HTTPBody?,
        metadata: ServerRequestMetadata,
        operationID: String,
        next: @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        guard let requirement = requirements[operationID] else {
            throw YizhanError(.forbidden, "This operation declares no permission and is closed.")
        }
        if requirement == .public { return try await next(request, body, metadata) }

        guard let credential = Self.credential(in: request.headerFields) else {
            throw YizhanError(
                .unauthorized, "Send an access token (Authorization: Bearer …) or an API key (X-API-Key).",
                headers: ["WWW-Authenticate": "Bearer"])
        }
        let principal = try await principals.resolve(credential)
        if case .permission(let permission) = requirement, !principal.has(permission) {
            if Permission.platformScoped.contains(permission) && principal.tenantCode != Tenant.platformCode {
                let path = request.path?.prefix { $0 != "?" } ?? "/"
                throw YizhanError(.notFound, "No route for \(request.method.rawValue) \(path).")
            }
            throw YizhanError(
                .forbidden, "This needs the permission '\(permission.rawValue)'.",
                details: ["permission": .string(permission.rawValue)])
        }

        let decision = rateLimiter.take(principal.actorID)  // ids carry their kind: usr_…, key_…
        guard decision.allowed else {
            throw YizhanError(
                .rateLimited, "Too many requests; retry in \(decision.retryAfterSeconds) s.",
                details: ["retry_after_seconds": .int(decision.retryAfterSeconds)],
                headers: [
                    "Retry-After": String(decision.retryAfterSeconds),
                    HTTPField.Name.rateLimitLimit.rawName: String(decision.limit),
                    HTTPField.Name.rateLimitRemaining.rawName: String(decision.remaining),
                    HTTPField.Name.rateLimitReset.rawName: String(decision.resetSeconds),
                ])
        }
        let (head, responseBody) = try await Principal.$current.withValue(principal) {
            try await next(request, body, metadata)
        }
        var response = head
        response.headerFields[.rateLimitLimit] = String(decision.limit)
        response.headerFields[.rateLimitRemaining] = String(decision.remaining)
        response.headerFields[.rateLimitReset] = String(decision.resetSeconds)
        return (response, responseBody)
    }

    /// `Authorization: Bearer <token>` or `X-API-Key: <key>`, parsed on the UTF-8 bytes.
    static func credential(in headers: HTTPFields) -> String? {
        if let authorization = headers[.authorization], let token = bearerToken(authorization) { return token }
        if let key = headers[.apiKey], let trimmed = Substring(key).trimmingSpacesAndTabs() { return trimmed }
        return nil
    }

    /// The token of `Bearer <token>` (scheme case-insensitive), if that is the header's form.
    static func bearerToken(_ value: String) -> String? {
        let bytes = value.utf8
        let scheme = "bearer".utf8
        guard bytes.count > scheme.count, let space = bytes.firstIndex(of: UInt8(ascii: " ")),
            bytes.distance(from: bytes.startIndex, to: space) == scheme.count,
            zip(bytes[..<space], scheme).allSatisfy({ $0 | 0x20 == $1 })
        else { return nil }
        return Substring(value.utf8[bytes.index(after: space)...]).trimmingSpacesAndTabs()
    }
}

extension HTTPField.Name {
    /// `X-API-Key`: an API key, as an alternative to `Authorization: Bearer yz_…`.
    static let apiKey = HTTPField.Name("X-API-Key")!
    /// The bucket size of the caller's rate limit.
    static let rateLimitLimit = HTTPField.Name("X-RateLimit-Limit")!
    /// Whole requests left in the bucket.
    static let rateLimitRemaining = HTTPField.Name("X-RateLimit-Remaining")!
    /// Seconds until the bucket is full again.
    static let rateLimitReset = HTTPField.Name("X-RateLimit-Reset")!
}
