import Testing
import YizhanCore
import YizhanCredentials

/// Where apps may send provider calls: the providers' public APIs over https, and what an
/// operator allows.
@Suite
struct ProviderEgressPolicyTests {
    @Test
    func thePublicAPIsOfTheAppsOwnProviderAreAllowedOverHTTPSOnly() {
        let policy = ProviderEgressPolicy.publicOnly
        #expect(policy.refusal(of: "https://open.feishu.cn", provider: .lark) == nil)
        #expect(policy.refusal(of: "https://open.larksuite.com", provider: .larkMarketplace) == nil)
        #expect(policy.refusal(of: "https://OPEN.FEISHU.CN.", provider: .larkBot) == nil)
        #expect(policy.refusal(of: "https://qyapi.weixin.qq.com", provider: .wecom) == nil)
        #expect(policy.refusal(of: "https://oapi.dingtalk.com", provider: .dingtalkRobot) == nil)
        #expect(policy.refusal(of: "http://open.feishu.cn", provider: .lark)?.contains("https") == true)
        // Another provider's API is not this app's.
        #expect(policy.refusal(of: "https://qyapi.weixin.qq.com", provider: .lark) != nil)
    }

    @Test(arguments: [
        "http://169.254.169.254", "http://127.0.0.1:8080", "http://localhost", "http://[::1]:9", "http://10.0.0.5",
        "https://open.feishu.cn.evil.example", "https://evilopen.feishu.cn", "http://0x7f.1", "http://2130706433",
        "https://metadata.google.internal", "http://169.254.169.254%00.open.feishu.cn", "http://open%2efeishu.cn",
    ])
    func everythingElseIsRefusedWithoutAnOperatorsEntry(url: String) {
        let refusal = ProviderEgressPolicy.publicOnly.refusal(of: url, provider: .lark)
        #expect(refusal != nil)
    }

    @Test
    func anOperatorsEntriesAllowHostsDomainsAndNetworksOverEitherScheme() throws {
        let policy = try ProviderEgressPolicy(allowedHosts: ["lark.corp.example", " *.sandbox.test ", "10.20.0.0/16", "::1", ""])
        #expect(policy.allowed.count == 4)
        #expect(policy.refusal(of: "http://lark.corp.example:8080", provider: .lark) == nil)
        #expect(policy.refusal(of: "http://a.b.sandbox.test", provider: .wecom) == nil)
        #expect(policy.refusal(of: "http://sandbox.test", provider: .wecom) != nil)
        #expect(policy.refusal(of: "https://10.20.3.4", provider: .wecomRobot) == nil)
        #expect(policy.refusal(of: "https://10.21.0.1", provider: .wecomRobot) != nil)
        #expect(policy.refusal(of: "http://[::1]:9900", provider: .lark) == nil)
        #expect(policy.refusal(of: "http://127.0.0.1:9900", provider: .lark) != nil)
        #expect(policy.refusal(of: "http://169.254.169.254%00.sandbox.test", provider: .lark)?.contains("letters, digits") == true)
        #expect(policy.refusal(of: "http://[fe80::1%25eth0]:9", provider: .lark) != nil)
        #expect(policy.description == "lark.corp.example,*.sandbox.test,10.20.0.0/16,0:0:0:0:0:0:0:1/128")
    }

    @Test(arguments: ["http://x.example", "*.", "*", "a..b", "-a.example", "under_score.example", "10.0.0.0/40", "例子.example"])
    func anEntryThatIsNoHostDomainOrNetworkIsAConfigurationError(entry: String) {
        #expect(throws: ProviderEgressPolicy.EntryError.self) { try ProviderEgressPolicy(allowedHosts: [entry]) }
    }

    @Test
    func refusalsAreValidationErrorsNamingTheField() {
        #expect {
            try ProviderEgressPolicy.publicOnly.check("http://169.254.169.254", provider: .wecom, field: "base_url")
        } throws: { error in
            let error = error as? YizhanError
            return error?.code == .validationError && error?.status == 422 && error?.details["field"] == .string("base_url")
        }
    }
}
