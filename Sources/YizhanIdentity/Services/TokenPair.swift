/// What login and refresh answer: a short-lived access token and the refresh token to get the next.
package struct TokenPair: Sendable {
    package var accessToken: String
    package var refreshToken: String
    /// Seconds the access token is valid for.
    package var expiresIn: Int

    package init(accessToken: String, refreshToken: String, expiresIn: Int) {
        self.accessToken = accessToken
        self.refreshToken = refreshToken
        self.expiresIn = expiresIn
    }
}
