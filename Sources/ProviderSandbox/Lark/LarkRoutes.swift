import Foundation
import Hummingbird
import NIOFoundationCompat

/// The Lark paths the sandbox serves under `/open-apis/` (recall, card update and chats are in
/// ``LarkChatRoutes``).
enum LarkRoutes {
    static func register(on router: Router<BasicRequestContext>, lark: LarkSandbox, bots: LarkBotSandbox, faults: SandboxFaults) {
        router.post("/open-apis/auth/v3/tenant_access_token/internal") { request, _ in
            try await tokenResponse(request, lark: lark, faults: faults, app: false)
        }
        router.post("/open-apis/auth/v3/app_access_token/internal") { request, _ in
            try await tokenResponse(request, lark: lark, faults: faults, app: true)
        }
        router.post("/open-apis/im/v1/messages") { request, _ in
            await authorized(request, path: "/open-apis/im/v1/messages", lark: lark, faults: faults, sends: true) { appID in
                let body = try await request.body.collect(upTo: 1 << 20)
                let message = try await lark.send(
                    appID: appID, receiveIDType: request.uri.queryParameters["receive_id_type"].map(String.init),
                    body: Data(buffer: body))
                return messageAnswer(message)
            }
        }
        router.post("/open-apis/im/v1/messages/{message_id}/reply") { request, context in
            let messageID = try context.parameters.require("message_id")
            return await authorized(request, path: "/open-apis/im/v1/messages/{message_id}/reply", lark: lark, faults: faults, sends: true) { appID in
                let body = try await request.body.collect(upTo: 1 << 20)
                return messageAnswer(try await lark.reply(appID: appID, messageID: messageID, body: Data(buffer: body)))
            }
        }
        router.post("/open-apis/im/v1/images") { request, _ in
            await authorized(request, path: "/open-apis/im/v1/images", lark: lark, faults: faults) { appID in
                try await lark.uploadImage(appID: appID, form: try await multipart(request))
            }
        }
        router.post("/open-apis/im/v1/files") { request, _ in
            await authorized(request, path: "/open-apis/im/v1/files", lark: lark, faults: faults) { appID in
                try await lark.uploadFile(appID: appID, form: try await multipart(request))
            }
        }
        router.post("/open-apis/contact/v3/users/batch_get_id") { request, _ in
            await authorized(request, path: "/open-apis/contact/v3/users/batch_get_id", lark: lark, faults: faults) { appID in
                let body = try await request.body.collect(upTo: 1 << 20)
                return try await lark.batchGetID(
                    appID: appID, userIDType: request.uri.queryParameters["user_id_type"].map(String.init), body: Data(buffer: body))
            }
        }
        router.get("/open-apis/contact/v3/users/{user_id}") { request, context in
            let userID = try context.parameters.require("user_id")
            return await authorized(request, path: "/open-apis/contact/v3/users/{user_id}", lark: lark, faults: faults) { appID in
                try await lark.user(appID: appID, id: userID, userIDType: request.uri.queryParameters["user_id_type"].map(String.init))
            }
        }
        router.post("/open-apis/bot/v2/hook/{token}") { request, context in
            let token = try context.parameters.require("token")
            let body = try await request.body.collect(upTo: 1 << 20)
            let drop: Bool
            do {
                drop = try await faults.apply(provider: "lark", appID: "bot:" + token, sends: true)
            } catch let failure as InjectedFailure {
                return SandboxResponse.json(["code": failure.code, "msg": failure.message], status: .init(code: failure.status))
            }
            let (code, msg) = await bots.send(hookToken: token, body: Data(buffer: body))
            return drop ? SandboxResponse.dropped() : SandboxResponse.json(["code": code, "msg": msg, "data": [String: String]()])
        }
    }

    /// `{"code":0,"msg":"success","data":<message>}`.
    private static func messageAnswer(_ message: Data) -> Data {
        var data = Data(#"{"code":0,"msg":"success","data":"#.utf8)
        data.append(message)
        data.append(Data("}".utf8))
        return data
    }

    /// Runs one call with a tenant token: authorizes, applies the app's faults, answers Lark errors.
    /// A call that `sends` under `drop_response` is done and its answer lost.
    /// - Parameter path: The route, as the app's stats count it.
    static func authorized(
        _ request: Request, path: String, lark: LarkSandbox, faults: SandboxFaults, sends: Bool = false,
        _ call: (String) async throws -> Data
    ) async -> Response {
        let error: LarkAPIError
        do {
            let appID = try await lark.authorize(request.headers[.authorization])
            let drop = try await apply(faults, appID: appID, sends: sends)
            let answer = try await call(appID)
            lark.stats.record(provider: "lark", appID: appID, path: path)
            return drop ? SandboxResponse.dropped() : SandboxResponse.raw(answer)
        } catch let failure as LarkAPIError {
            error = failure
        } catch {
            return SandboxResponse.lark(.invalidParameter("the request could not be read"))
        }
        let owner = await lark.owner(ofAuthorization: request.headers[.authorization])
        lark.stats.record(provider: "lark", appID: owner, path: path, code: error.code, status: error.status)
        return SandboxResponse.lark(error)
    }

    /// The request's multipart form (at most 35 MB), nil when it is not one.
    private static func multipart(_ request: Request) async throws -> MultipartForm? {
        let body = try await request.body.collect(upTo: 35 << 20)
        return MultipartForm(body: Data(buffer: body), contentType: request.headers[.contentType])
    }

    /// Token endpoints answer flat bodies: `{"code":0,"msg":"ok","tenant_access_token":…,"expire":…}`.
    private static func tokenResponse(_ request: Request, lark: LarkSandbox, faults: SandboxFaults, app: Bool) async throws -> Response {
        let body = try await request.body.collect(upTo: 64 * 1024)
        guard let object = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any],
            let appID = object["app_id"] as? String, let appSecret = object["app_secret"] as? String
        else {
            return SandboxResponse.lark(.invalidCredentials)
        }
        let path = app ? "/open-apis/auth/v3/app_access_token/internal" : "/open-apis/auth/v3/tenant_access_token/internal"
        do {
            try await apply(faults, appID: appID)
            let (token, expire) = try await lark.tenantToken(appID: appID, appSecret: appSecret)
            var answer: [String: Any] = ["code": 0, "msg": "ok", "tenant_access_token": token, "expire": expire]
            if app {
                // The app token is its own (`a-`, for app-level APIs) and answers with the tenant token, as A1.2 shows.
                let (appToken, appExpire) = await lark.issueToken(slot: "app|" + appID, appID: appID, kind: .app)
                answer["app_access_token"] = appToken
                answer["expire"] = appExpire
            }
            lark.stats.record(provider: "lark", appID: appID, path: path, tokenFetch: true)
            return SandboxResponse.json(answer)
        } catch let error as LarkAPIError {
            lark.stats.record(provider: "lark", appID: appID, path: path, tokenFetch: true, code: error.code, status: error.status)
            return SandboxResponse.lark(error)
        }
    }

    /// Runs the app's injected faults, answered as Lark errors; true when the answer is to be lost.
    @discardableResult
    private static func apply(_ faults: SandboxFaults, appID: String, sends: Bool = false) async throws -> Bool {
        do {
            return try await faults.apply(provider: "lark", appID: appID, sends: sends)
        } catch let failure as InjectedFailure {
            throw LarkAPIError(status: failure.status, code: failure.code, msg: failure.message)
        }
    }
}
