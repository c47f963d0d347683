/// A Lark user's authorization of an app, as it was stored: who, and how long its tokens live.
/// Never the tokens.
package struct LarkUserAuthorization: Sendable, Equatable {
    /// The user's `open_id` within the app.
    package var openID: String
    /// Seconds the access token lives.
    package var expiresIn: Int
    /// Seconds the refresh token lives; nil when Lark gave none (`offline_access` was not granted:
    /// the user authorizes again once the access token expires).
    package var refreshExpiresIn: Int?
}
