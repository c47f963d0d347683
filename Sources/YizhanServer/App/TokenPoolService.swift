import ServiceLifecycle
import YizhanCredentials

/// The token pool's part in shutdown: once graceful shutdown begins, waits for the token fetches in
/// flight (a refresh started behind a caller outlives it) so that each is stored before the
/// database closes; it stands after the database in the group, so it stops before it. When the
/// grace period runs out it is cancelled, and so are those fetches.
package struct TokenPoolService: Service {
    let tokens: TokenPool

    package init(tokens: TokenPool) {
        self.tokens = tokens
    }

    package func run() async throws {
        try? await gracefulShutdown()
        await tokens.settle()
    }
}
