/// What login and refresh answer: a short-lived access token and the refresh token to get the next.
public struct TokenPair: Sendable {
    public var accessToken: String
    public var refreshToken: String
    /// Seconds the access token is valid for.
    public var expiresIn: Int

    public init(accessToken: String, refreshToken: String, expiresIn: Int) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresIn = expiresIn
    }
}
