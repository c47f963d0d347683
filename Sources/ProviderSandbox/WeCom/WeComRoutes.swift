import Foundation
import Hummingbird
import NIOFoundationCompat

/// The WeCom paths the sandbox serves under `/cgi-bin/`. Business errors answer HTTP 200 with the
/// errcode, as WeCom does; injected faults (keyed by corp id, or robot key) answer their own status.
enum WeComRoutes {
    static func register(on router: Router<BasicRequestContext>, wecom: WeComSandbox, robots: WeComRobotSandbox, faults: SandboxFaults) {
        router.get("/cgi-bin/gettoken") { request, _ in
            let query = request.uri.queryParameters
            let corpID = query["corpid"].map(String.init)
            return await answer(faults, key: corpID, stats: (wecom, path: "/cgi-bin/gettoken", owner: corpID, tokenFetch: true)) {
                let (token, expiresIn) = try await wecom.token(corpID: corpID, secret: query["corpsecret"].map(String.init))
                return WeComSandbox.ok(["access_token": token, "expires_in": expiresIn])
            }
        }
        /// POST routes that take the token in the query and a JSON body, and whether they send.
        let jsonCalls: [(String, Bool, @Sendable (WeComSandbox, String?, Data) async throws -> Data)] = [
            ("/cgi-bin/message/send", true, { try await $0.send(accessToken: $1, body: $2) }),
            ("/cgi-bin/user/getuserid", false, { try await $0.lookUpUser(accessToken: $1, body: $2) }),
            ("/cgi-bin/user/get_userid_by_email", false, { try await $0.lookUpUser(accessToken: $1, body: $2) }),
            ("/cgi-bin/appchat/create", false, { try await $0.createChat(accessToken: $1, body: $2) }),
            ("/cgi-bin/appchat/send", true, { try await $0.sendToChat(accessToken: $1, body: $2) }),
        ]
        for (path, sends, call) in jsonCalls {
            router.post(RouterPath(path)) { request, _ in
                let token = request.uri.queryParameters["access_token"].map(String.init)
                let owner = await wecom.owner(ofToken: token)
                return await answer(faults, key: await wecom.corpID(ofToken: token), sends: sends, stats: (wecom, path: path, owner: owner, tokenFetch: false)) {
                    let body = try await request.body.collect(upTo: 2 << 20)
                    return try await call(wecom, token, Data(buffer: body))
                }
            }
        }
        router.get("/cgi-bin/agent/get") { request, _ in
            let query = request.uri.queryParameters
            let token = query["access_token"].map(String.init)
            let owner = await wecom.owner(ofToken: token)
            return await answer(faults, key: await wecom.corpID(ofToken: token), stats: (wecom, path: "/cgi-bin/agent/get", owner: owner, tokenFetch: false)) {
                try await wecom.agent(accessToken: token, agentID: query["agentid"].map(String.init))
            }
        }
        router.get("/cgi-bin/appchat/get") { request, _ in
            let query = request.uri.queryParameters
            let token = query["access_token"].map(String.init)
            return await answer(faults, key: await wecom.corpID(ofToken: token)) {
                try await wecom.chat(accessToken: token, chatID: query["chatid"].map(String.init))
            }
        }
        router.post("/cgi-bin/media/upload") { request, _ in
            let query = request.uri.queryParameters
            let token = query["access_token"].map(String.init)
            return await answer(faults, key: await wecom.corpID(ofToken: token)) {
                let form = try await multipart(request)
                return try await wecom.uploadMedia(accessToken: token, type: query["type"].map(String.init), file: form.part("media"))
            }
        }
        router.post("/cgi-bin/webhook/send") { request, _ in
            let key = request.uri.queryParameters["key"].map(String.init)
            return await answer(faults, key: key, sends: true) {
                let body = try await request.body.collect(upTo: 4 << 20)
                return try await robots.send(key: key, body: Data(buffer: body))
            }
        }
        router.post("/cgi-bin/webhook/upload_media") { request, _ in
            let query = request.uri.queryParameters
            let key = query["key"].map(String.init)
            return await answer(faults, key: key) {
                let form = try await multipart(request)
                return try await robots.upload(key: key, type: query["type"].map(String.init), file: form.part("media"))
            }
        }
    }

    /// Runs one call after the faults of `key`; WeCom errors answer HTTP 200 with their errcode.
    /// A call that `sends` under `drop_response` is done and its answer lost.
    /// - Parameter stats: Where the call counts (the corp's stats), for the app calls and `gettoken`.
    private static func answer(
        _ faults: SandboxFaults, key: String?, sends: Bool = false,
        stats: (wecom: WeComSandbox, path: String, owner: String?, tokenFetch: Bool)? = nil, _ call: () async throws -> Data
    ) async -> Response {
        func count(_ code: Int?, status: Int = 200) {
            guard let stats else { return }
            stats.wecom.stats.record(provider: "wecom", appID: stats.owner, path: stats.path, tokenFetch: stats.tokenFetch, code: code, status: status)
        }
        do {
            var drop = false
            if let key { drop = try await faults.apply(provider: "wecom", appID: key, sends: sends) }
            let answer = try await call()
            count(nil)
            return drop ? SandboxResponse.dropped() : SandboxResponse.raw(answer)
        } catch let error as WeComAPIError {
            count(error.errcode)
            return SandboxResponse.json(["errcode": error.errcode, "errmsg": error.errmsg])
        } catch let failure as InjectedFailure {
            count(failure.code, status: failure.status)
            return SandboxResponse.json(["errcode": failure.code, "errmsg": failure.message], status: .init(code: failure.status))
        } catch {
            return SandboxResponse.json(["errcode": WeComAPIError.invalidParameter.errcode, "errmsg": "invalid request: \(type(of: error))"])
        }
    }

    /// The request's multipart form (at most 25 MB); 40058 when it is not one.
    private static func multipart(_ request: Request) async throws -> MultipartForm {
        let body = try await request.body.collect(upTo: 25 << 20)
        guard let form = MultipartForm(body: Data(buffer: body), contentType: request.headers[.contentType]) else {
            throw WeComAPIError.invalidParameter
        }
        return form
    }
}
