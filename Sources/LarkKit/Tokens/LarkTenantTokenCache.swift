import Foundation

/// An in-memory tenant token cache for one app: fetches lazily, refreshes in the last 10 % of a
/// token's life, and lets concurrent callers share one fetch.
public actor LarkTenantTokenCache: TokenSource {
    private let fetch: @Sendable () async throws(LarkError) -> (token: String, expiresIn: Int)
    private let now: @Sendable () -> Date
    private var cached: (token: String, refreshAt: Date, expiresAt: Date)?
    private var inFlight: Task<(token: String, expiresIn: Int), any Error>?

    /// - Parameters:
    ///   - fetch: Gets a fresh token and its remaining lifetime in seconds.
    ///   - now: The clock (tests inject one).
    public init(
        now: @escaping @Sendable () -> Date = Date.init,
        fetch: @escaping @Sendable () async throws(LarkError) -> (token: String, expiresIn: Int)
    ) {
        self.fetch = fetch
        self.now = now
    }

    public func token() async throws(LarkError) -> String {
        if let cached, now() < cached.refreshAt { return cached.token }
        let task: Task<(token: String, expiresIn: Int), any Error>
        if let inFlight {
            task = inFlight
        } else {
            let fetch = fetch
            task = Task { try await fetch() }
            inFlight = task
        }
        do {
            let fresh = try await task.value
            if inFlight == task { inFlight = nil }
            let fetchedAt = now()
            let lifetime = TimeInterval(max(0, fresh.expiresIn))
            cached = (fresh.token, fetchedAt.addingTimeInterval(lifetime * 0.9), fetchedAt.addingTimeInterval(lifetime))
            return fresh.token
        } catch {
            if inFlight == task { inFlight = nil }
            throw (error as? LarkError) ?? LarkError(category: .retryable, code: 0, message: "token fetch failed")
        }
    }

    public func invalidate(_ token: String) {
        if cached?.token == token { cached = nil }
    }
}
