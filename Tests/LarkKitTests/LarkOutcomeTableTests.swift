import Foundation
import LarkKit
import ProviderKitSupport
import Testing

/// Every kind of Lark answer, sorted into the category a pipeline acts on.
@Suite
struct LarkOutcomeTableTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var status: Int
        var body: String
        var reset: Int? = nil
        var idempotent = false
        /// nil: a success.
        var category: ProviderErrorCategory?
        var code = 0

        var testDescription: String { "\(status) \(body.prefix(40)) reset=\(reset.map(String.init) ?? "-")\(idempotent ? " (read)" : "")" }
    }

    static let cases: [Case] = [
        Case(status: 200, body: #"{"code":0,"msg":"success","data":{"message_id":"om_1"}}"#, category: nil),
        Case(status: 400, body: #"{"code":230001,"msg":"invalid"}"#, category: .permanent, code: 230001),
        Case(status: 400, body: #"{"code":99991663,"msg":"Invalid access token"}"#, category: .authentication, code: 99991663),
        Case(status: 429, body: "", reset: 7, category: .rateLimited(retryAfter: .seconds(7))),
        Case(status: 429, body: "Too Many Requests", category: .rateLimited(retryAfter: nil)),
        Case(status: 429, body: #"{"code":99991400,"msg":"request trigger frequency limit"}"#, reset: 3, category: .rateLimited(retryAfter: .seconds(3)), code: 99991400),
        Case(status: 400, body: #"{"code":230020,"msg":"frequency limit"}"#, category: .rateLimited(retryAfter: .seconds(1)), code: 230020),
        Case(status: 400, body: #"{"code":230020,"msg":"frequency limit"}"#, reset: 5, category: .rateLimited(retryAfter: .seconds(5)), code: 230020),
        Case(status: 400, body: #"{"code":11233,"msg":"create message trigger rate limit"}"#, category: .rateLimited(retryAfter: nil), code: 11233),
        Case(status: 200, body: #"{"code":11247,"msg":"create message trigger rate limit"}"#, category: .rateLimited(retryAfter: nil), code: 11247),
        Case(status: 408, body: "", category: .retryable),
        Case(status: 502, body: "<html>502 Bad Gateway</html>", category: .maybeDelivered),
        Case(status: 503, body: "", category: .maybeDelivered),
        Case(status: 504, body: "upstream timed out", category: .maybeDelivered),
        Case(status: 504, body: "upstream timed out", idempotent: true, category: .retryable),
        Case(status: 500, body: #"{"code":2200,"msg":"internal error"}"#, idempotent: true, category: .retryable, code: 2200),
        // Lark's internal errors do not say a send was not done.
        Case(status: 500, body: #"{"code":2200,"msg":"internal error"}"#, category: .maybeDelivered, code: 2200),
        Case(status: 400, body: #"{"code":1500,"msg":"internal error"}"#, category: .maybeDelivered, code: 1500),
        // A retry with the same uuid while the first send is in flight.
        Case(status: 400, body: #"{"code":230049,"msg":"The message is being sent"}"#, category: .maybeDelivered, code: 230049),
        Case(status: 400, body: #"{"code":18121,"msg":"create request is being processed"}"#, category: .maybeDelivered, code: 18121),
        Case(status: 400, body: #"{"code":99991403,"msg":"monthly quota exceeded"}"#, category: .rateLimited(retryAfter: .seconds(3600)), code: 99991403),
        // An `error` object of an unexpected shape does not cost the answer its code.
        Case(status: 400, body: #"{"code":230020,"msg":"frequency limit","error":"not an object"}"#, category: .rateLimited(retryAfter: .seconds(1)), code: 230020),
        Case(status: 404, body: "404 page not found", category: .permanent),
        Case(status: 400, body: #"{"code":0,"msg":"success"}"#, category: .permanent),
        Case(status: 200, body: "<html>captive portal</html>", category: .maybeDelivered),
        Case(status: 200, body: "", idempotent: true, category: .retryable),
    ]

    @Test(arguments: cases)
    func anAnswerIsSortedByItsStatusCodeAndHeaders(_ test: Case) {
        let answer = LarkHTTPAnswer(status: test.status, body: Data(test.body.utf8), rateLimitReset: test.reset)
        let failure = answer.failure(idempotent: test.idempotent)
        #expect(failure?.category == test.category)
        if let failure {
            #expect(failure.code == test.code)
            #expect(failure.httpStatus == test.status)
        }
    }

    struct Probe: Decodable {
        var message_id: String
    }

    @Test
    func anErrorWhoseDataDoesNotFitKeepsItsCode() {
        let answer = LarkHTTPAnswer(status: 400, body: Data(#"{"code":230002,"msg":"bot not in chat","data":"nothing like a message"}"#.utf8))
        #expect(throws: LarkError(category: .permanent, code: 230002, message: "bot not in chat", httpStatus: 400)) {
            try answer.value(Probe.self, idempotent: false)
        }
    }

    @Test
    func aSuccessWhoseDataIsUnreadableIsMaybeDeliveredForASend() {
        let answer = LarkHTTPAnswer(status: 200, body: Data(#"{"code":0,"msg":"success","data":{"other":1}}"#.utf8))
        let send = #expect(throws: LarkError.self) { try answer.value(Probe.self, idempotent: false) }
        #expect(send?.category == .maybeDelivered)
        let read = #expect(throws: LarkError.self) { try answer.value(Probe.self, idempotent: true) }
        #expect(read?.category == .permanent)
    }

    @Test
    func logIDTroubleshooterAndViolationsAreKeptForSupport() throws {
        let body = #"""
            {"code":99992402,"msg":"field validation failed",
             "error":{"log_id":"20240101120000ABCDEF","troubleshooter":"https://open.feishu.cn/search?log_id=20240101120000ABCDEF",
                      "field_violations":[{"field":"receive_id","description":"is required"}],
                      "permission_violations":[{"type":"action_scope_required","subject":"im:message","description":"scope missing"}]}}
            """#
        let failure = try #require(LarkHTTPAnswer(status: 400, body: Data(body.utf8), logID: "header-id").failure(idempotent: false))
        #expect(failure.code == 99992402)
        #expect(failure.logID == "20240101120000ABCDEF")
        #expect(failure.troubleshooter?.hasPrefix("https://open.feishu.cn/") == true)
        #expect(failure.details == ["field receive_id: is required", "permission im:message: scope missing"])
        #expect(failure.description.contains("20240101120000ABCDEF"))
        let withoutBodyID = LarkHTTPAnswer(status: 400, body: Data(#"{"code":230001,"msg":"x"}"#.utf8), logID: "header-id")
        #expect(withoutBodyID.failure(idempotent: false)?.logID == "header-id")
    }

    @Test
    func aUUIDOverFiftyUTF8BytesIsRefusedBeforeAnythingIsSent() async {
        // Nothing listens on port 9: a request would fail as retryable, not permanent.
        let client = LarkClient(configuration: .init(baseURL: "http://127.0.0.1:9", appID: "cli_x", appSecret: "s"))
        // 17 CJK characters are 51 bytes: refused, as Lark might count bytes.
        for uuid in [String(repeating: "u", count: 51), String(repeating: "部", count: 17), ""] {
            let error = await #expect(throws: LarkError.self) {
                try await client.sendMessage(to: .openID("ou_a"), content: .text("x"), uuid: uuid)
            }
            #expect(error?.category == .permanent)
            #expect(error?.message.contains("1 to 50 UTF-8 bytes") == true)
        }
        #expect(LarkClient.uuidDedupeWindow == .seconds(3600))
    }
}
