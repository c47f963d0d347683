/// The kinds of provider apps and robots Yizhan sends through.
package enum AppProvider: String, Sendable, CaseIterable, Codable {
    /// A self-built Lark/Feishu app (tenant and app tokens from its id and secret).
    case lark
    /// A Lark marketplace app: tokens per customer tenant through the app_ticket flow.
    case larkMarketplace = "lark_marketplace"
    /// A WeCom self-built app (an agent of a corp).
    case wecom
    /// A Lark custom group bot (a webhook URL, optionally signed).
    case larkBot = "lark_bot"
    /// A WeCom group robot (a webhook key).
    case wecomRobot = "wecom_robot"
    /// A DingTalk custom robot (an access token, optionally signed).
    case dingtalkRobot = "dingtalk_robot"

    /// The provider's public API origin, used when an app names none.
    package var defaultBaseURL: String? {
        switch self {
        case .lark, .larkMarketplace: "https://open.feishu.cn"
        case .wecom, .wecomRobot: "https://qyapi.weixin.qq.com"
        case .dingtalkRobot: "https://oapi.dingtalk.com"
        case .larkBot: nil  // the webhook URL names its origin
        }
    }

    /// The credential fields it takes, in the order they are documented.
    package var fields: [CredentialField] {
        switch self {
        case .lark, .larkMarketplace:
            [.init("app_id", .larkAppID, secret: false, required: true), .init("app_secret", .secretText),
             .init("encrypt_key", .secretText, required: false), .init("verification_token", .secretText, required: false)]
        case .wecom:
            [.init("corp_id", .wecomCorpID, secret: false, required: true),
             .init("agent_id", .wecomAgentID, secret: false, required: true), .init("secret", .secretText),
             .init("token", .wecomToken, required: false), .init("encoding_aes_key", .wecomAESKey, required: false)]
        case .larkBot:
            [.init("webhook_url", .larkBotWebhook), .init("secret", .secretText, required: false)]
        case .wecomRobot:
            [.init("key", .robotKey)]
        case .dingtalkRobot:
            [.init("access_token", .robotKey), .init("secret", .dingtalkSecret, required: false)]
        }
    }

    /// The secret that is the robot itself (its key or webhook URL): it makes the robot unique and
    /// cannot be replaced (a new key is a new robot). Nil for apps, whose identifiers do that.
    package var identifyingSecret: String? {
        switch self {
        case .larkBot: "webhook_url"
        case .wecomRobot: "key"
        case .dingtalkRobot: "access_token"
        case .lark, .larkMarketplace, .wecom: nil
        }
    }

    /// Whether the provider pushes events to Yizhan (robots only send).
    package var receivesCallbacks: Bool {
        switch self {
        case .lark, .larkMarketplace, .wecom: true
        case .larkBot, .wecomRobot, .dingtalkRobot: false
        }
    }

    /// Where this app's provider events are received, for apps that have them.
    package func callbackPath(appID: String) -> String? {
        switch self {
        case .lark, .larkMarketplace: "/callbacks/lark/\(appID)"
        case .wecom: "/callbacks/wecom/\(appID)"
        case .larkBot, .wecomRobot, .dingtalkRobot: nil
        }
    }
}
