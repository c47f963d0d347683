import Foundation
import Hummingbird
import HummingbirdTesting
import LarkKit
import NIOCore
import Testing
import WeComKit

/// A kit's `timeout` bounds the answer's body too, not only its head: a server that sends the
/// head and the first bytes and then stalls makes the call fail at the timeout instead of waiting
/// for the rest (AsyncHTTPClient's own deadline stops once the head has arrived).
@Suite(.timeLimit(.minutes(1)))
struct KitBodyDeadlineTests {
    @Test
    func aBodyThatStallsAfterItsHeadFailsAtTheTimeoutForLarkAndWeCom() async throws {
        let router = Router()
        // The whole answer would arrive after 8 s: a client that waited for it would succeed.
        router.post("/open-apis/auth/v3/tenant_access_token/internal") { _, _ in
            Self.stalling(#"{"code": 0, "msg": "ok", "#, #""tenant_access_token": "t-late", "expire": 7200}"#)
        }
        router.get("/cgi-bin/gettoken") { _, _ in
            Self.stalling(#"{"errcode": 0, "errmsg": "ok", "#, #""access_token": "late", "expires_in": 7200}"#)
        }
        try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0))).test(.live) { client in
            let baseURL = "http://127.0.0.1:\(client.port!)"
            let lark = LarkClient(configuration: .init(baseURL: baseURL, appID: "cli_slow", appSecret: "s", timeout: .milliseconds(500)))
            let larkError = await #expect(throws: LarkError.self) { _ = try await lark.fetchTenantToken() }
            #expect(larkError?.category == .retryable, "a token fetch is a read: asking again is safe")
            let wecom = WeComClient(
                configuration: .init(baseURL: baseURL, corpID: "wwslow", agentID: 1, secret: "s", timeout: .milliseconds(500)))
            let wecomError = await #expect(throws: WeComError.self) { _ = try await wecom.fetchToken() }
            #expect(wecomError?.category == .retryable)
        }
    }

    /// A 200 whose body is `first` now and `rest` 8 s later.
    static func stalling(_ first: String, _ rest: String) -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json"],
            body: ResponseBody { writer in
                try await writer.write(ByteBuffer(string: first))
                try await Task.sleep(for: .seconds(8))
                try await writer.write(ByteBuffer(string: rest))
                try await writer.finish(nil)
            })
    }
}
