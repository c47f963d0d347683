import Foundation
import ProviderKitSupport
import Testing
import WeComKit

/// Every kind of WeCom answer, sorted into the category a pipeline acts on.
@Suite
struct WeComOutcomeTableTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var status: Int
        var body: String
        var idempotent = false
        /// nil: a success.
        var category: ProviderErrorCategory?
        var errcode = 0

        var testDescription: String { "\(status) \(body.prefix(40))\(idempotent ? " (read)" : "")" }
    }

    static let cases: [Case] = [
        Case(status: 200, body: #"{"errcode":0,"errmsg":"ok","msgid":"m1"}"#, category: nil),
        Case(status: 200, body: #"{"access_token":"t","expires_in":7200}"#, idempotent: true, category: nil),
        Case(status: 200, body: #"{"errcode":45009,"errmsg":"api freq out of limit"}"#, category: .rateLimited(retryAfter: .seconds(60)), errcode: 45009),
        Case(status: 200, body: #"{"errcode":45033,"errmsg":"api concurrent out of limit"}"#, category: .rateLimited(retryAfter: .seconds(1)), errcode: 45033),
        Case(status: 200, body: #"{"errcode":42001,"errmsg":"access_token expired"}"#, category: .authentication, errcode: 42001),
        Case(status: 200, body: #"{"errcode":40014,"errmsg":"invalid access_token"}"#, category: .authentication, errcode: 40014),
        Case(status: 200, body: #"{"errcode":-1,"errmsg":"system busy"}"#, category: .retryable, errcode: -1),
        Case(status: 200, body: #"{"errcode":81013,"errmsg":"user & party & tag all invalid"}"#, category: .permanent, errcode: 81013),
        Case(status: 500, body: #"{"errcode":-1,"errmsg":"system busy"}"#, category: .retryable, errcode: -1),
        Case(status: 404, body: #"{"error":"not found"}"#, category: .permanent),
        Case(status: 400, body: "", category: .permanent),
        Case(status: 503, body: #"{"message":"Service Unavailable"}"#, category: .maybeDelivered),
        Case(status: 502, body: "<html>502 Bad Gateway</html>", category: .maybeDelivered),
        Case(status: 504, body: "", category: .maybeDelivered),
        Case(status: 504, body: "", idempotent: true, category: .retryable),
        Case(status: 429, body: "", category: .rateLimited(retryAfter: nil)),
        Case(status: 429, body: #"{"message":"too many requests"}"#, category: .rateLimited(retryAfter: nil)),
        Case(status: 408, body: "", category: .retryable),
        Case(status: 429, body: #"{"errcode":12345,"errmsg":"unknown"}"#, category: .rateLimited(retryAfter: nil), errcode: 12345),
        Case(status: 502, body: #"{"errcode":12345,"errmsg":"unknown"}"#, category: .maybeDelivered, errcode: 12345),
        Case(status: 502, body: #"{"errcode":12345,"errmsg":"unknown"}"#, idempotent: true, category: .retryable, errcode: 12345),
        Case(status: 200, body: "<html>captive portal</html>", category: .maybeDelivered),
        Case(status: 200, body: "", idempotent: true, category: .retryable),
    ]

    @Test(arguments: cases)
    func anAnswerIsSortedByItsStatusAndErrcode(_ test: Case) {
        do {
            _ = try WeComAnswer.read(status: test.status, body: Data(test.body.utf8), idempotent: test.idempotent)
            #expect(test.category == nil)
        } catch {
            #expect(error.category == test.category)
            #expect(error.errcode == test.errcode)
            #expect(error.httpStatus == test.status)
        }
    }

    @Test
    func theBlocksAreTheDocumentedOnes() {
        #expect(WeComError.frequencyBlock == .seconds(60))
        #expect(WeComError.concurrencyBlock == .seconds(1))
    }
}
