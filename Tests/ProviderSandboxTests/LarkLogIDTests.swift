import Foundation
import Hummingbird
import HummingbirdTesting
import LarkKit
import Logging
import NIOCore
import Testing

/// The log id a LarkError keeps for support, read from a real HTTP answer.
@Suite(.timeLimit(.minutes(1)))
struct LarkLogIDTests {
    /// A server answering every send with a Lark error and the given headers.
    func withGateway(headers: [String: String], _ body: @Sendable (String) async throws -> Void) async throws {
        let router = Router()
        router.post("/open-apis/im/v1/messages") { _, _ in
            var fields: HTTPFields = [.contentType: "application/json"]
            for (name, value) in headers { fields[.init(name)!] = value }
            return Response(status: .badRequest, headers: fields, body: .init(byteBuffer: ByteBuffer(string: #"{"code":230001,"msg":"bad"}"#)))
        }
        var logger = Logger(label: "gateway.test")
        logger.logLevel = .warning
        try await Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)), logger: logger)
            .test(.live) { client in try await body("http://127.0.0.1:\(client.port!)") }
    }

    @Test
    func xRequestIDStandsInWhenThereIsNoXTtLogid() async throws {
        let cases: [([String: String], String?)] = [
            (["X-Request-Id": "req-1"], "req-1"),
            (["X-Tt-Logid": "log-1", "X-Request-Id": "req-1"], "log-1"),
            ([:], nil),
        ]
        for (headers, expected) in cases {
            try await withGateway(headers: headers) { baseURL in
                let error = await #expect(throws: LarkError.self) {
                    try await larkClient(baseURL, tokens: FixedToken(value: "t-x")).sendMessage(to: .openID("ou_a"), content: .text("x"))
                }
                #expect(error?.code == 230001)
                #expect(error?.logID == expected)
            }
        }
    }
}
