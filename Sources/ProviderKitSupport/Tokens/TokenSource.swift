/// Something that hands out an access token and can be told one stopped working.
///
/// Both kits take one: `LarkClient` a `TokenSource<LarkError>`, `WeComClient` a
/// `TokenSource<WeComError>`. Each kit ships an in-memory implementation; Yizhan's token pool
/// implements it across processes.
///
/// ```swift
/// struct PooledTokens: TokenSource {
///     func token() async throws(WeComError) -> String { try await pool.token(for: corpID) }
///     func invalidate(_ token: String) async { await pool.invalidate(token) }
/// }
/// let client = WeComClient(configuration: configuration, tokens: PooledTokens())
/// ```
public protocol TokenSource<Failure>: Sendable {
    /// The error a fetch fails with: the kit's own error, so its ``ProviderErrorCategory`` reaches the caller.
    associatedtype Failure: Error

    /// A token that is valid now (fetched if none is cached or the cached one is near its end).
    func token() async throws(Failure) -> String

    /// Forgets `token` (the provider rejected it), so the next ``token()`` fetches a new one.
    func invalidate(_ token: String) async
}
