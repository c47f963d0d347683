import Foundation
import ProviderKitSupport

/// An in-memory tenant token cache for one app: fetches lazily, refreshes in the last 10 % of a
/// token's life, and lets concurrent callers share one fetch.
public struct LarkTenantTokenCache: TokenSource {
    private let cache: SharedTokenCache<LarkError>

    /// - Parameters:
    ///   - now: The clock (tests inject one).
    ///   - fetch: Gets a fresh token and its remaining lifetime in seconds.
    public init(
        now: @escaping @Sendable () -> Date = Date.init,
        fetch: @escaping @Sendable () async throws(LarkError) -> (token: String, expiresIn: Int)
    ) {
        self.cache = SharedTokenCache(
            now: now, wrap: { _ in LarkError(category: .retryable, code: 0, message: "token fetch failed") }, fetch: fetch)
    }

    /// The cached token, or a fresh one when none is cached or it is near its end.
    public func token() async throws(LarkError) -> String { try await cache.token() }

    /// Forgets `token` (Lark refused it).
    public func invalidate(_ token: String) async { await cache.invalidate(token) }
}
