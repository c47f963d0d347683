import Foundation
import Hummingbird
import NIOFoundationCompat

/// The WeCom paths the sandbox serves under `/cgi-bin/`. Business errors answer HTTP 200 with the
/// errcode, as WeCom does.
enum WeComRoutes {
    static func register(on router: Router<BasicRequestContext>, wecom: WeComSandbox) {
        router.get("/cgi-bin/gettoken") { request, _ in
            let query = request.uri.queryParameters
            do {
                let (token, expiresIn) = try await wecom.token(
                    corpID: query["corpid"].map(String.init), secret: query["corpsecret"].map(String.init))
                return SandboxResponse.json(["errcode": 0, "errmsg": "ok", "access_token": token, "expires_in": expiresIn])
            } catch let error as WeComAPIError {
                return SandboxResponse.json(["errcode": error.errcode, "errmsg": error.errmsg])
            }
        }
        router.post("/cgi-bin/message/send") { request, _ in
            let body = try await request.body.collect(upTo: 2 << 20)
            do {
                let answer = try await wecom.send(
                    accessToken: request.uri.queryParameters["access_token"].map(String.init), body: Data(buffer: body))
                return SandboxResponse.raw(answer)
            } catch let error as WeComAPIError {
                return SandboxResponse.json(["errcode": error.errcode, "errmsg": error.errmsg])
            }
        }
    }
}
