import Foundation

/// The token cache logic both kits share: fetch lazily, refresh in the last 10 % of a token's life,
/// let concurrent callers share one fetch, forget a token the provider rejected.
package actor SharedTokenCache<Failure: Error>: TokenSource {
    private let fetch: @Sendable () async throws(Failure) -> (token: String, expiresIn: Int)
    private let now: @Sendable () -> Date
    private let wrap: @Sendable (any Error) -> Failure
    private var cached: (token: String, refreshAt: Date)?
    private var inFlight: Task<(token: String, expiresIn: Int), any Error>?

    /// - Parameter wrap: Turns an unexpected error into `Failure`.
    package init(
        now: @escaping @Sendable () -> Date,
        wrap: @escaping @Sendable (any Error) -> Failure,
        fetch: @escaping @Sendable () async throws(Failure) -> (token: String, expiresIn: Int)
    ) {
        self.fetch = fetch
        self.now = now
        self.wrap = wrap
    }

    package func token() async throws(Failure) -> String {
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
            cached = (fresh.token, now().addingTimeInterval(TimeInterval(max(0, fresh.expiresIn)) * 0.9))
            return fresh.token
        } catch {
            if inFlight == task { inFlight = nil }
            throw (error as? Failure) ?? wrap(error)
        }
    }

    package func invalidate(_ token: String) {
        if cached?.token == token { cached = nil }
    }
}
