/// A user's access token, and the refresh token that renews it (only when `offline_access` was
/// granted). Refresh tokens are single use: always keep the newest. Its description hides the tokens.
public struct LarkUserToken: Sendable, Equatable, Decodable, CustomStringConvertible {
    public var accessToken: String
    public var expiresIn: Int
    public var refreshToken: String?
    public var refreshTokenExpiresIn: Int?
    public var scope: String?
    public var tokenType: String?

    enum CodingKeys: String, CodingKey {
        case scope
        case accessToken = "access_token"
        case expiresIn = "expires_in"
        case refreshToken = "refresh_token"
        case refreshTokenExpiresIn = "refresh_token_expires_in"
        case tokenType = "token_type"
    }

    public var description: String {
        "LarkUserToken(accessToken: <redacted>, expiresIn: \(expiresIn), refreshToken: \(refreshToken == nil ? "none" : "<redacted>"), scope: \(scope ?? ""))"
    }
}
