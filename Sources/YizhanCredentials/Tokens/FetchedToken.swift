/// A token as a provider's token endpoint answers it: the token and its remaining seconds.
package struct FetchedToken: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    package var token: String
    package var expiresIn: Int

    package init(token: String, expiresIn: Int) {
        self.token = token
        self.expiresIn = expiresIn
    }

    /// Never the token itself.
    package var description: String { "FetchedToken(expiresIn: \(expiresIn))" }
    package var debugDescription: String { description }
}
