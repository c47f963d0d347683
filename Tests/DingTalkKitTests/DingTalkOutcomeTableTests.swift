import DingTalkKit
import Foundation
import ProviderKitSupport
import Testing

/// Every kind of robot webhook answer, sorted into the category a pipeline acts on.
@Suite
struct DingTalkOutcomeTableTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var status: Int
        var body: String
        /// nil: a success.
        var category: ProviderErrorCategory?
        var errcode = 0

        var testDescription: String { "\(status) \(body.prefix(40))" }
    }

    static let cases: [Case] = [
        Case(status: 200, body: #"{"errcode":0,"errmsg":"ok"}"#, category: nil),
        Case(status: 200, body: #"{"errcode":130101,"errmsg":"send too fast, exceed 20 times per minute"}"#, category: .rateLimited(retryAfter: .seconds(600)), errcode: 130101),
        Case(status: 200, body: #"{"errcode":90030,"errmsg":"quota"}"#, category: .rateLimited(retryAfter: .seconds(3600)), errcode: 90030),
        Case(status: 200, body: #"{"errcode":410100,"errmsg":"send too fast"}"#, category: .rateLimited(retryAfter: .seconds(600)), errcode: 410100),
        Case(status: 429, body: #"{"errcode":12345,"errmsg":"unknown"}"#, category: .rateLimited(retryAfter: nil), errcode: 12345),
        Case(status: 502, body: #"{"errcode":12345,"errmsg":"unknown"}"#, category: .maybeDelivered, errcode: 12345),
        Case(status: 200, body: #"{"errcode":310000,"errmsg":"sign not match"}"#, category: .permanent, errcode: 310000),
        Case(status: 200, body: #"{"errcode":300001,"errmsg":"token is not exist"}"#, category: .permanent, errcode: 300001),
        Case(status: 200, body: #"{"errcode":-1,"errmsg":"system busy"}"#, category: .retryable, errcode: -1),
        Case(status: 500, body: #"{"errcode":-1,"errmsg":"system busy"}"#, category: .retryable, errcode: -1),
        Case(status: 400, body: #"{"message":"bad request"}"#, category: .permanent),
        Case(status: 403, body: "", category: .permanent),
        Case(status: 502, body: "<html>502 Bad Gateway</html>", category: .maybeDelivered),
        Case(status: 503, body: #"{"message":"unavailable"}"#, category: .maybeDelivered),
        Case(status: 504, body: "", category: .maybeDelivered),
        Case(status: 429, body: "", category: .rateLimited(retryAfter: nil)),
        Case(status: 408, body: "", category: .retryable),
        Case(status: 200, body: "<html>captive portal</html>", category: .maybeDelivered),
    ]

    @Test(arguments: cases)
    func anAnswerIsSortedByItsStatusAndErrcode(_ test: Case) {
        do {
            try DingTalkAnswer.check(status: test.status, body: Data(test.body.utf8))
            #expect(test.category == nil)
        } catch {
            #expect(error.category == test.category)
            #expect(error.errcode == test.errcode)
            #expect(error.httpStatus == test.status)
        }
    }

    static let refusals: [(String, DingTalkSecuritySetting?)] = [
        ("sign not match, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]", .signature),
        ("sign not match, more: [timestamp is missing or not within one hour]", .signature),
        ("invalid timestamp", .signature),
        ("时间戳无效", .signature),
        ("ip 115.236.1.2 not in whitelist, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]", .ipAllowlist),
        ("description:ip 不在白名单中;solution:请联系对应群的管理员，设置机器人安全ip地址段", .ipAllowlist),
        ("keywords not in content, more: [https://ding-doc.dingtalk.com/doc#/serverapi2/qf2nxq]", .keywords),
        ("错误描述:关键词不匹配;解决方案:请联系群管理员查看此机器人的关键词，并在发送的信息中包含此关键词;", .keywords),
        ("something new", nil),
    ]

    @Test(arguments: refusals.indices)
    func aSecurityRefusalIsPermanentAndNamesTheSettingThatRefused(_ index: Int) throws {
        let (errmsg, setting) = Self.refusals[index]
        let body = try JSONSerialization.data(withJSONObject: ["errcode": 310000, "errmsg": errmsg])
        let error = #expect(throws: DingTalkError.self) { try DingTalkAnswer.check(status: 200, body: body) }
        #expect(error?.category == .permanent)
        #expect(error?.refusedBy == setting)
        #expect(error?.refusedBy?.refusesEveryMessage == setting.map { $0 != .keywords })
    }

    @Test
    func onlyA310000NamesASetting() {
        #expect(DingTalkError(category: .permanent, errcode: 300001, errmsg: "sign not match").refusedBy == nil)
    }
}
