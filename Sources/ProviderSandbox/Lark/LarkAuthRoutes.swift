import Foundation
import Hummingbird
import NIOFoundationCompat

/// The Lark token paths beyond the self-built tenant token: the marketplace app_ticket flow.
/// They answer flat bodies, like every token endpoint.
enum LarkAuthRoutes {
    static func register(on router: Router<BasicRequestContext>, sandbox: ProviderSandbox) {
        let lark = sandbox.lark
        router.post("/open-apis/auth/v3/app_ticket/resend") { request, _ in
            await flat(request, sandbox: sandbox) { body in
                let (app, ticket) = try await lark.issueAppTicket(appID: body["app_id"] ?? "", appSecret: body["app_secret"] ?? "")
                // Lark pushes the ticket to the event URL after answering.
                let now = sandbox.clock.now()
                Task {
                    _ = await sandbox.larkEvents.push(
                        app: app, eventType: "app_ticket", event: ["app_id": app.appID, "app_ticket": ticket], schema: "1.0",
                        verifyURL: false, retryScale: 1, now: now)
                }
                return ["code": 0, "msg": "success"]
            }
        }
        router.post("/open-apis/auth/v3/app_access_token") { request, _ in
            await flat(request, sandbox: sandbox) { body in
                let (token, expire) = try await lark.marketplaceAppToken(
                    appID: body["app_id"] ?? "", appSecret: body["app_secret"] ?? "", appTicket: body["app_ticket"] ?? "")
                return ["code": 0, "msg": "success", "app_access_token": token, "expire": expire]
            }
        }
        router.post("/open-apis/auth/v3/tenant_access_token") { request, _ in
            await flat(request, sandbox: sandbox) { body in
                let (token, expire) = try await lark.marketplaceTenantToken(
                    appAccessToken: body["app_access_token"] ?? "", tenantKey: body["tenant_key"] ?? "")
                return ["code": 0, "msg": "success", "tenant_access_token": token, "expire": expire]
            }
        }
    }

    /// Reads a JSON object of strings, applies the faults of its `app_id`, answers flat.
    private static func flat(
        _ request: Request, sandbox: ProviderSandbox, _ call: ([String: String]) async throws -> [String: Any]
    ) async -> Response {
        do {
            let raw = try await request.body.collect(upTo: 64 * 1024)
            guard let body = (try? JSONSerialization.jsonObject(with: Data(buffer: raw))) as? [String: Any] else {
                throw LarkAPIError.invalidCredentials
            }
            let strings = body.compactMapValues { $0 as? String }
            if let appID = strings["app_id"] {
                do {
                    try await sandbox.faults.apply(provider: "lark", appID: appID)
                } catch let failure as InjectedFailure {
                    throw LarkAPIError(status: failure.status, code: failure.code, msg: failure.message)
                }
            }
            return SandboxResponse.json(try await call(strings))
        } catch let error as LarkAPIError {
            return SandboxResponse.lark(error)
        } catch {
            return SandboxResponse.lark(.invalidCredentials)
        }
    }
}
