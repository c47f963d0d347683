import Crypto
import Foundation

/// The kinds of provider access tokens the pool keeps.
package enum TokenKind: String, Sendable, CaseIterable {
    /// A self-built Lark app's `tenant_access_token` (what sends and lookups use).
    case larkTenant = "lark_tenant"
    /// A self-built Lark app's `app_access_token` (app-level APIs).
    case larkApp = "lark_app"
    /// A WeCom app's `access_token` (`gettoken` with the corp id and the app's secret).
    case wecom
    /// A marketplace app's `app_access_token`, bought with its newest app_ticket (subject empty).
    case larkMarketplaceApp = "lark_marketplace_app"
    /// A marketplace app's `tenant_access_token` for one tenant that installed it, bought with the
    /// app token (subject: the `tenant_key`).
    case larkMarketplaceTenant = "lark_marketplace_tenant"
    /// A Lark user's `user_access_token` (OAuth; subject: the user's `open_id`), renewed with the
    /// stored ``larkUserRefresh``.
    case larkUser = "lark_user"
    /// Kept beside the tokens, never fetched by the pool: the newest app_ticket Lark pushed to a
    /// marketplace app (subject empty).
    case larkAppTicket = "lark_app_ticket"
    /// Kept beside the tokens, never fetched by the pool: a Lark user's single-use refresh token
    /// (subject: the user's `open_id`).
    case larkUserRefresh = "lark_user_refresh"

    /// The provider that issues it (the `provider` label of its metrics).
    package var provider: AppProvider {
        switch self {
        case .larkTenant, .larkApp, .larkUser, .larkUserRefresh: .lark
        case .larkMarketplaceApp, .larkMarketplaceTenant, .larkAppTicket: .larkMarketplace
        case .wecom: .wecom
        }
    }

    /// The providers whose apps have tokens of this kind.
    var providers: Set<AppProvider> {
        switch self {
        case .larkTenant, .larkApp: [.lark]
        case .wecom: [.wecom]
        case .larkMarketplaceApp, .larkMarketplaceTenant, .larkAppTicket: [.larkMarketplace]
        case .larkUser, .larkUserRefresh: [.lark, .larkMarketplace]
        }
    }

    /// What a user granted: a change of the app's secrets leaves it usable (only a move to another
    /// base URL ends it), so it is not dropped with the tokens bought with the old secret.
    var isUserGrant: Bool { self == .larkUser || self == .larkUserRefresh }
}

/// What one stored token belongs to: an app, a kind, and a subject within the app (empty for the
/// app's own tokens; a Lark `tenant_key` or a user for tokens held per tenant or person).
package struct TokenKey: Hashable, Sendable, CustomStringConvertible {
    package var appID: String
    package var kind: TokenKind
    package var subject: String

    package init(appID: String, kind: TokenKind, subject: String = "") {
        self.appID = appID
        self.kind = kind
        self.subject = subject
    }

    /// The app and kind, and the subject when it names no person: a user's `open_id` is shown as
    /// the first 8 hex digits of its SHA-256 (enough to tell log lines apart, not to name them).
    package var description: String {
        guard !subject.isEmpty else { return "\(appID)/\(kind.rawValue)" }
        let shown = kind.isUserGrant ? "user-" + SHA256.hash(data: Data(subject.utf8)).prefix(4).map { String(format: "%02x", $0) }.joined() : subject
        return "\(appID)/\(kind.rawValue)/\(shown)"
    }

    /// The associated data its sealed token is bound to: a token moved to another row does not open.
    var purpose: String { Self.purpose(appID: appID, kind: kind.rawValue, subject: subject) }

    /// The associated data of a stored token's row, from its stored columns.
    static func purpose(appID: String, kind: String, subject: String) -> String { "apps/\(appID)/tokens/\(kind)/\(subject)" }
}
