import Crypto
import Foundation

/// An authorization code the sandbox handed out at `authen/v1/authorize`.
struct LarkOAuthCode: Sendable {
    var appID: String
    var openID: String
    var redirectURI: String
    var scope: String
    var codeChallenge: String?
    var challengeMethod: String?
    var expiresAt: Date
    var used = false
}

/// A refresh token: single use, rotated on every refresh.
struct LarkRefreshGrant: Sendable {
    var appID: String
    var openID: String
    var scope: String
    var expiresAt: Date
    var used = false
}

/// A failure of the OAuth token endpoint: flat `{code, error, error_description}` with HTTP 400.
struct LarkOAuthError: Error, Sendable {
    var code: Int
    var error: String
    var description: String

    static func invalidRequest(_ why: String) -> LarkOAuthError { .init(code: 20001, error: "invalid_request", description: why) }
    static let clientMismatch = LarkOAuthError(code: 20002, error: "invalid_client", description: "client_id and client_secret do not match")
    static let invalidCode = LarkOAuthError(code: 20003, error: "invalid_grant", description: "the code is invalid")
    static let expiredCode = LarkOAuthError(code: 20004, error: "invalid_grant", description: "the code has expired")
    static let reused = LarkOAuthError(code: 20007, error: "invalid_grant", description: "the code or refresh_token was already used")
    static let codeOfAnotherApp = LarkOAuthError(code: 20024, error: "invalid_grant", description: "the code belongs to another app")
    static let invalidRefreshToken = LarkOAuthError(code: 99991669, error: "invalid_grant", description: "invalid user refresh token")
}

extension LarkSandbox {
    /// Codes live 5 minutes; user tokens 2 h; refresh tokens 7 days (UNCERTAIN; Lark says it
    /// returns the real lifetime in `refresh_token_expires_in`, which the sandbox does too).
    static let codeLifetime: TimeInterval = 300
    static let refreshLifetime: TimeInterval = 7 * 24 * 3600

    /// Who logs in at the next authorize (`POST /_sandbox/lark/oauth/login`); by default the
    /// first seeded user.
    func setNextLogin(openID: String) { nextLogin = openID }

    /// `GET /open-apis/authen/v1/authorize`: the code for the next user, bound to the app, the
    /// redirect URI, the scope and the PKCE challenge.
    func authorize(query: [String: String]) throws(LarkOAuthError) -> String {
        guard let appID = query["client_id"], apps[appID] != nil else { throw .invalidRequest("unknown client_id") }
        guard let redirectURI = query["redirect_uri"], URL(string: redirectURI)?.scheme != nil else {
            throw .invalidRequest("redirect_uri is required")
        }
        let method = query["code_challenge_method"] ?? (query["code_challenge"] == nil ? nil : "plain")
        if let method, !["S256", "plain"].contains(method) { throw .invalidRequest("code_challenge_method is S256 or plain") }
        guard let openID = nextLogin ?? users.first?.openID else { throw .invalidRequest("the sandbox has no user to log in") }
        let code = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        oauthCodes[code] = LarkOAuthCode(
            appID: appID, openID: openID, redirectURI: redirectURI, scope: query["scope"] ?? "", codeChallenge: query["code_challenge"],
            challengeMethod: method, expiresAt: clock.now().addingTimeInterval(Self.codeLifetime))
        return code
    }

    /// `POST /open-apis/authen/v2/oauth/token` and `/oauth/v3/token` (`strictPKCE`: v3 refuses a
    /// `code_verifier` when no challenge was sent).
    func oauthToken(_ form: [String: String], strictPKCE: Bool) throws(LarkOAuthError) -> Data {
        guard let appID = form["client_id"], let app = apps[appID], app.appSecret == form["client_secret"] else { throw .clientMismatch }
        let now = clock.now()
        switch form["grant_type"] {
        case "authorization_code":
            guard let code = form["code"], var grant = oauthCodes[code] else { throw .invalidCode }
            guard !grant.used else { throw .reused }
            guard grant.expiresAt > now else { throw .expiredCode }
            guard grant.appID == appID else { throw .codeOfAnotherApp }
            guard form["redirect_uri"] == nil || form["redirect_uri"] == grant.redirectURI else {
                throw .invalidRequest("redirect_uri differs from the one authorized")
            }
            try Self.checkPKCE(grant, verifier: form["code_verifier"], strict: strictPKCE)
            grant.used = true
            oauthCodes[code] = grant
            return userTokens(appID: appID, openID: grant.openID, scope: grant.scope)
        case "refresh_token":
            guard let token = form["refresh_token"], var grant = refreshGrants[token], grant.appID == appID, grant.expiresAt > now else {
                throw .invalidRefreshToken
            }
            guard !grant.used else { throw .reused }
            grant.used = true
            refreshGrants[token] = grant
            return userTokens(appID: appID, openID: grant.openID, scope: form["scope"] ?? grant.scope)
        default:
            throw .invalidRequest("grant_type is authorization_code or refresh_token")
        }
    }

    /// `GET /open-apis/authen/v1/user_info` with a user token.
    func userInfo(authorization: String?) throws(LarkAPIError) -> Data {
        guard let authorization, authorization.hasPrefix("Bearer ") else { throw .needToken }
        let token = String(authorization.dropFirst(7))
        guard let issued = tokens[token], issued.kind == .user else { throw .invalidUserToken }
        guard issued.expiresAt > clock.now() else { throw .expiredUserToken }
        guard let user = users.first(where: { $0.openID == issued.openID }) else { throw .invalidUserToken }
        var data: [String: Any] = ["open_id": user.openID, "name": user.name, "tenant_key": "sandbox"]
        if let unionID = user.unionID { data["union_id"] = unionID }
        if let userID = user.userID { data["user_id"] = userID }
        if let email = user.email { data["email"] = email }
        if let mobile = user.mobile { data["mobile"] = mobile }
        return Self.success(data)
    }

    /// A user token, and a refresh token when the scope has `offline_access`: the flat answer.
    private func userTokens(appID: String, openID: String, scope: String) -> Data {
        let now = clock.now()
        let access = "u-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        tokens[access] = IssuedToken(token: access, appID: appID, expiresAt: now.addingTimeInterval(Self.tokenLifetime), kind: .user, openID: openID)
        var answer: [String: Any] = [
            "code": 0, "access_token": access, "expires_in": Int(Self.tokenLifetime), "token_type": "Bearer", "scope": scope,
        ]
        if scope.split(separator: " ").contains("offline_access") {
            let refresh = "ur-" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
            refreshGrants[refresh] = LarkRefreshGrant(appID: appID, openID: openID, scope: scope, expiresAt: now.addingTimeInterval(Self.refreshLifetime))
            answer["refresh_token"] = refresh
            answer["refresh_token_expires_in"] = Int(Self.refreshLifetime)
        }
        return (try? JSONSerialization.data(withJSONObject: answer, options: [.sortedKeys])) ?? Data("{}".utf8)
    }

    private static func checkPKCE(_ grant: LarkOAuthCode, verifier: String?, strict: Bool) throws(LarkOAuthError) {
        guard let challenge = grant.codeChallenge else {
            if strict, verifier != nil { throw .invalidRequest("code_verifier without a code_challenge") }
            return
        }
        guard let verifier, (43...128).contains(verifier.count) else { throw .invalidRequest("code_verifier is required (43 to 128 characters)") }
        let expected: String
        if grant.challengeMethod == "S256" {
            expected = Data(SHA256.hash(data: Data(verifier.utf8))).base64EncodedString()
                .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        } else {
            expected = verifier
        }
        guard expected == challenge else { throw .invalidRequest("code_verifier does not match the code_challenge") }
    }
}
