/// What the provider said of an app's credentials when they were checked.
package struct AppVerification: Sendable, Equatable {
    /// Whether the provider accepted them.
    package var ok: Bool
    /// The provider's code: 0 when it accepted them or did not answer.
    package var providerCode: Int
    /// The provider's parsed message, or what went wrong on the way; never a secret or a raw body.
    package var message: String
    /// Seconds the fetched token lives, when one was fetched.
    package var tokenExpiresIn: Int?
    /// How long the check took, in milliseconds.
    package var latencyMilliseconds: Int
}
