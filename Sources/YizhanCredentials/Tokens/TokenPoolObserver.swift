/// What the token pool tells about the callers it serves and the fetches it makes, for metrics;
/// the composition root supplies one (`Credentials(…, tokenObserver:)`). ``hit(_:)`` is called on
/// the hit path of every `token()`: keep it cheap and never block.
package protocol TokenPoolObserver: Sendable {
    /// A caller got its token from memory.
    func hit(_ kind: TokenKind)
    /// A caller found no usable token in memory and waited for one: a fetch of this process or of
    /// another, or the stored row.
    func waited(_ kind: TokenKind)
    /// This process fetched a token from the provider.
    func fetched(_ kind: TokenKind)
    /// A fetch by this process failed: the provider refused it (`providerCode` is its code), did
    /// not answer, or the app could not be used (`providerCode` is nil).
    func fetchFailed(_ kind: TokenKind, providerCode: Int?)
}
