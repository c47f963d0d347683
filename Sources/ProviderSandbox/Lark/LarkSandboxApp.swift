import Foundation

/// A Lark app registered with the sandbox, and the tokens issued to it.
struct LarkSandboxApp: Sendable, Codable {
    var appID: String
    var appSecret: String
    var encryptKey: String?
    var verificationToken: String?
    var eventURL: String?
    /// Whether Lark's rate limits apply (default true; benchmarks of the clients turn them off).
    var rateLimits: Bool?
    /// A marketplace (store) app: it gets tokens through the app_ticket flow.
    var marketplace: Bool?
    /// The tenants that installed a marketplace app (default `["sandbox"]`).
    var tenantKeys: [String]?

    enum CodingKeys: String, CodingKey {
        case marketplace
        case tenantKeys = "tenant_keys"
        case rateLimits = "rate_limits"
        case appID = "app_id"
        case appSecret = "app_secret"
        case encryptKey = "encrypt_key"
        case verificationToken = "verification_token"
        case eventURL = "event_url"
    }
}

/// A token the sandbox issued and until when it is valid.
struct IssuedToken: Sendable {
    /// What a token is good for: tenant tokens call the APIs, app tokens buy marketplace tenant
    /// tokens, user tokens act as a user.
    enum Kind: Sendable {
        case tenant, app, user

        var prefix: String {
            switch self {
            case .tenant: "t-"
            case .app: "a-"
            case .user: "u-"
            }
        }
    }

    var token: String
    var appID: String
    var expiresAt: Date
    var kind: Kind = .tenant
    /// Whose token a user token is.
    var openID: String? = nil
}

/// A Lark user the sandbox knows, so contact lookups and sends resolve.
struct LarkSandboxUser: Sendable, Codable {
    var openID: String
    var userID: String?
    var unionID: String?
    var email: String?
    var mobile: String?
    var name: String

    enum CodingKeys: String, CodingKey {
        case name, email, mobile
        case openID = "open_id"
        case userID = "user_id"
        case unionID = "union_id"
    }
}

/// A Lark group chat and who is in it (bots are listed by app id).
struct LarkSandboxChat: Sendable, Codable {
    var chatID: String
    var name: String?
    var members: [String]

    enum CodingKeys: String, CodingKey {
        case name, members
        case chatID = "chat_id"
    }
}
