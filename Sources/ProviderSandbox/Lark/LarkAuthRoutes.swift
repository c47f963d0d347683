import Foundation
import Hummingbird
import NIOFoundationCompat

/// The Lark token paths beyond the self-built tenant token: the marketplace app_ticket flow and
/// user OAuth (authorize, code and refresh grants, user info). They answer flat bodies, like every
/// token endpoint, and count in the app's stats (each token grant as a token fetch).
enum LarkAuthRoutes {
    static func register(on router: Router<BasicRequestContext>, sandbox: ProviderSandbox) {
        let lark = sandbox.lark
        router.post("/open-apis/auth/v3/app_ticket/resend") { request, _ in
            await flat(request, sandbox: sandbox, path: "/open-apis/auth/v3/app_ticket/resend", tokenFetch: false) { body in
                let (app, ticket) = try await lark.issueAppTicket(appID: body["app_id"] ?? "", appSecret: body["app_secret"] ?? "")
                // Lark pushes the ticket to the event URL after answering.
                let now = sandbox.clock.now()
                Task {
                    _ = await sandbox.larkEvents.push(
                        app: app, eventType: "app_ticket", event: ["app_id": app.appID, "app_ticket": ticket], schema: "1.0",
                        verifyURL: false, retryScale: 1, now: now, faults: sandbox.faults.pushFaults(provider: "lark", appID: app.appID))
                }
                return ["code": 0, "msg": "success"]
            }
        }
        router.post("/open-apis/auth/v3/app_access_token") { request, _ in
            await flat(request, sandbox: sandbox, path: "/open-apis/auth/v3/app_access_token", tokenFetch: true) { body in
                let (token, expire) = try await lark.marketplaceAppToken(
                    appID: body["app_id"] ?? "", appSecret: body["app_secret"] ?? "", appTicket: body["app_ticket"] ?? "")
                return ["code": 0, "msg": "success", "app_access_token": token, "expire": expire]
            }
        }
        router.post("/open-apis/auth/v3/tenant_access_token") { request, _ in
            await flat(request, sandbox: sandbox, path: "/open-apis/auth/v3/tenant_access_token", tokenFetch: true) { body in
                let (token, expire) = try await lark.marketplaceTenantToken(
                    appAccessToken: body["app_access_token"] ?? "", tenantKey: body["tenant_key"] ?? "")
                return ["code": 0, "msg": "success", "tenant_access_token": token, "expire": expire]
            }
        }
    }

    /// User OAuth. The authorize page logs in the sandbox's next user at once and redirects back.
    static func registerOAuth(on router: Router<BasicRequestContext>, lark: LarkSandbox) {
        router.get("/open-apis/authen/v1/authorize") { request, _ in
            var query: [String: String] = [:]
            for (key, value) in request.uri.queryParameters { query[String(key)] = String(value) }
            do throws(LarkOAuthError) {
                let code = try await lark.authorize(query: query)
                var location = URLComponents(string: query["redirect_uri"] ?? "")
                var items = location?.queryItems ?? []
                items.append(URLQueryItem(name: "code", value: code))
                if let state = query["state"] { items.append(URLQueryItem(name: "state", value: state)) }
                location?.queryItems = items
                return Response(status: .found, headers: [.location: location?.string ?? ""])
            } catch {
                return oauthError(error)
            }
        }
        for (path, strict) in [("/open-apis/authen/v2/oauth/token", false), ("/oauth/v3/token", true)] {
            router.post(RouterPath(path)) { request, _ in
                let raw = try await request.body.collect(upTo: 64 * 1024)
                let fields = form(Data(buffer: raw))
                do throws(LarkOAuthError) {
                    let answer = try await lark.oauthToken(fields, strictPKCE: strict)
                    lark.stats.record(provider: "lark", appID: fields["client_id"], path: path, tokenFetch: true)
                    return SandboxResponse.raw(answer)
                } catch {
                    lark.stats.record(provider: "lark", appID: fields["client_id"], path: path, tokenFetch: true, code: error.code, status: 400)
                    return oauthError(error)
                }
            }
        }
        router.get("/open-apis/authen/v1/user_info") { request, _ in
            do throws(LarkAPIError) {
                return SandboxResponse.raw(try await lark.userInfo(authorization: request.headers[.authorization]))
            } catch {
                return SandboxResponse.lark(error)
            }
        }
    }

    private static func oauthError(_ error: LarkOAuthError) -> Response {
        SandboxResponse.json(["code": error.code, "error": error.error, "error_description": error.description], status: .badRequest)
    }

    /// A JSON object or an `application/x-www-form-urlencoded` body, as strings.
    private static func form(_ data: Data) -> [String: String] {
        if let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] {
            return object.compactMapValues { $0 as? String }
        }
        var components = URLComponents()
        components.percentEncodedQuery = String(decoding: data, as: UTF8.self).replacingOccurrences(of: "+", with: "%20")
        var form: [String: String] = [:]
        for item in components.queryItems ?? [] { form[item.name] = item.value ?? "" }
        return form
    }

    /// Reads a JSON object of strings, applies the faults of its `app_id`, answers flat, and counts
    /// the call for its app (named by `app_id`, else by the `app_access_token` it carries).
    private static func flat(
        _ request: Request, sandbox: ProviderSandbox, path: String, tokenFetch: Bool,
        _ call: ([String: String]) async throws -> [String: Any]
    ) async -> Response {
        var strings: [String: String] = [:]
        func owner() async -> String? {
            if let appID = strings["app_id"] { return appID }
            return await sandbox.lark.owner(ofAuthorization: strings["app_access_token"].map { "Bearer " + $0 })
        }
        do {
            let raw = try await request.body.collect(upTo: 64 * 1024)
            guard let body = (try? JSONSerialization.jsonObject(with: Data(buffer: raw))) as? [String: Any] else {
                throw LarkAPIError.invalidCredentials
            }
            strings = body.compactMapValues { $0 as? String }
            if let appID = strings["app_id"] {
                do {
                    try await sandbox.faults.apply(provider: "lark", appID: appID)
                } catch let failure as InjectedFailure {
                    throw LarkAPIError(status: failure.status, code: failure.code, msg: failure.message)
                }
            }
            let answer = try await call(strings)
            sandbox.lark.stats.record(provider: "lark", appID: await owner(), path: path, tokenFetch: tokenFetch)
            return SandboxResponse.json(answer)
        } catch let error as LarkAPIError {
            sandbox.lark.stats.record(provider: "lark", appID: await owner(), path: path, tokenFetch: tokenFetch, code: error.code, status: error.status)
            return SandboxResponse.lark(error)
        } catch {
            return SandboxResponse.lark(.invalidCredentials)
        }
    }
}
