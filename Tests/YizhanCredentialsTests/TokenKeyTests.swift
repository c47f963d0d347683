import Testing
import YizhanCredentials

/// What a token's key says in a log line.
@Suite
struct TokenKeyTests {
    @Test
    func aUsersOpenIDNeverAppearsInTheKeysDescription() {
        let user = TokenKey(appID: "app_1", kind: .larkUser, subject: "ou_7d8a6e6df7621556ce0d21922b676706")
        #expect(!user.description.contains("ou_7d8a"))
        #expect(user.description.hasPrefix("app_1/lark_user/user-") && user.description.count == "app_1/lark_user/user-".count + 8)
        #expect(TokenKey(appID: "app_1", kind: .larkUserRefresh, subject: "ou_other").description != user.description)
        #expect(TokenKey(appID: "app_1", kind: .larkMarketplaceTenant, subject: "tenant-a").description == "app_1/lark_marketplace_tenant/tenant-a")
        #expect(TokenKey(appID: "app_1", kind: .wecom).description == "app_1/wecom")
    }
}
