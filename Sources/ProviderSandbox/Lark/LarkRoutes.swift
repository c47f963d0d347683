import Foundation
import Hummingbird
import NIOFoundationCompat

/// The Lark paths the sandbox serves under `/open-apis/`.
enum LarkRoutes {
    static func register(on router: Router<BasicRequestContext>, lark: LarkSandbox, faults: SandboxFaults) {
        router.post("/open-apis/auth/v3/tenant_access_token/internal") { request, _ in
            try await tokenResponse(request, lark: lark, faults: faults, app: false)
        }
        router.post("/open-apis/auth/v3/app_access_token/internal") { request, _ in
            try await tokenResponse(request, lark: lark, faults: faults, app: true)
        }
        router.post("/open-apis/im/v1/messages") { request, _ in
            do {
                let appID = try await lark.authorize(request.headers[.authorization])
                try await apply(faults, appID: appID)
                let body = try await request.body.collect(upTo: 1 << 20)
                let message = try await lark.send(
                    appID: appID, receiveIDType: request.uri.queryParameters["receive_id_type"].map(String.init),
                    body: Data(buffer: body))
                var data = Data(#"{"code":0,"msg":"success","data":"#.utf8)
                data.append(message)
                data.append(Data("}".utf8))
                return SandboxResponse.raw(data)
            } catch let error as LarkAPIError {
                return SandboxResponse.lark(error)
            }
        }
    }

    /// Token endpoints answer flat bodies: `{"code":0,"msg":"ok","tenant_access_token":…,"expire":…}`.
    private static func tokenResponse(_ request: Request, lark: LarkSandbox, faults: SandboxFaults, app: Bool) async throws -> Response {
        let body = try await request.body.collect(upTo: 64 * 1024)
        guard let object = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any],
            let appID = object["app_id"] as? String, let appSecret = object["app_secret"] as? String
        else {
            return SandboxResponse.lark(.invalidCredentials)
        }
        do {
            try await apply(faults, appID: appID)
            let (token, expire) = try await lark.tenantToken(appID: appID, appSecret: appSecret)
            var answer: [String: Any] = ["code": 0, "msg": "ok", "tenant_access_token": token, "expire": expire]
            if app { answer["app_access_token"] = token }
            return SandboxResponse.json(answer)
        } catch let error as LarkAPIError {
            return SandboxResponse.lark(error)
        }
    }

    /// Runs the app's injected faults, answered as Lark errors.
    private static func apply(_ faults: SandboxFaults, appID: String) async throws {
        do {
            try await faults.apply(provider: "lark", appID: appID)
        } catch let failure as InjectedFailure {
            throw LarkAPIError(status: failure.status, code: failure.code, msg: failure.message)
        }
    }
}
