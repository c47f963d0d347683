/// How the token pool refreshes and waits.
package struct TokenPoolConfiguration: Sendable {
    /// The share of a token's life after which it is refreshed: 0.9 refreshes in the last 10 %.
    package var refreshFraction: Double
    /// How long a process holds the right to fetch one (app, kind) before another may take it over
    /// (the holder died or hangs). Longer than a token fetch's timeout.
    package var leaseDuration: Duration
    /// The first pause between two looks at the row while another process fetches; it doubles up
    /// to ``longestPoll``.
    package var firstPoll: Duration
    package var longestPoll: Duration
    /// The longest one token fetch may take, the app's settings and the provider's whole answer
    /// together: then it is cancelled and fails as a provider that did not answer would, well
    /// before the lease it holds runs out.
    package var fetchDeadline: Duration

    /// - Parameter fetchDeadline: nil for 10 s or half the lease, whichever is shorter.
    package init(
        refreshFraction: Double = 0.9, leaseDuration: Duration = .seconds(30), firstPoll: Duration = .milliseconds(10),
        longestPoll: Duration = .milliseconds(200), fetchDeadline: Duration? = nil
    ) {
        self.refreshFraction = refreshFraction
        self.leaseDuration = leaseDuration
        self.fetchDeadline = fetchDeadline ?? min(.seconds(10), leaseDuration / 2)
        self.firstPoll = firstPoll
        self.longestPoll = longestPoll
    }
}
