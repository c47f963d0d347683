/// Something that hands out an access token and can be told one stopped working.
///
/// Each kit ships an in-memory implementation; Yizhan's token pool implements it across processes.
public protocol TokenSource: Sendable {
    /// A token that is valid now (fetched if none is cached or the cached one is near its end).
    func token() async throws(LarkError) -> String
    /// Forgets `token` (the provider rejected it), so the next ``token()`` fetches a new one.
    func invalidate(_ token: String) async
}
