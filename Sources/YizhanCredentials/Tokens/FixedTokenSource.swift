import ProviderKitSupport

/// One token just fetched, as a kit's `TokenSource`: for a check that must use that very token
/// (``AppVerifier``) without asking the provider for another. Invalidating it does nothing.
struct FixedTokenSource<Failure: Error>: TokenSource {
    let value: String

    func token() async throws(Failure) -> String { value }

    func invalidate(_ token: String) async {}
}
