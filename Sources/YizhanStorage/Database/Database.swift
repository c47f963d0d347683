import ServiceLifecycle
import SQLKit

/// One way for every module to run queries and transactions on either engine.
///
/// A `Database` is a ServiceLifecycle `Service`: it must be running (in a `ServiceGroup`, or in a task
/// with ``run()``) before connections can be leased, and it closes its connections when the group
/// shuts down. Stores take a `Database` and speak SQLKit, so one store implementation serves both
/// engines; engine-specific SQL switches on ``engine``.
public protocol Database: Service, Sendable {
    /// Which engine this is.
    var engine: DatabaseEngine { get }

    /// Leases a connection for the duration of `body`.
    ///
    /// Throws ``DatabaseError/unavailable`` when no connection can be had within the acquire timeout.
    func withConnection<Result: Sendable>(
        _ body: @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result

    /// Runs `body` in a transaction on one connection: committed if `body` returns, rolled back if
    /// it throws.
    func transaction<Result: Sendable>(
        _ body: @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result

    /// Checks that the database can be reached now; the error's message says why not, without secrets.
    func checkReachable() async throws

    /// A snapshot of the connection pool, for metrics.
    func poolStatistics() async -> PoolStatistics

    /// Returns once ``run()`` has started the connection pool, so that work begun now finds it
    /// running. An engine with nothing to start returns at once.
    func waitUntilRunning() async
}

extension Database {
    public func waitUntilRunning() async {}

    /// Runs `body` between `begin` and `COMMIT` on one connection, rolling back if it throws.
    func runTransaction<Result: Sendable>(
        begin: String,
        _ body: @Sendable (any SQLDatabase) async throws -> Result
    ) async throws -> Result {
        try await withConnection { connection in
            try await connection.raw(SQLQueryString(begin)).run()
            do {
                let result = try await body(connection)
                try await connection.raw("COMMIT").run()
                return result
            } catch {
                try? await connection.raw("ROLLBACK").run()
                throw error
            }
        }
    }

    /// Checks that the database answers a trivial query.
    public func ping() async throws {
        try await withConnection { connection in
            try await connection.raw("SELECT 1").run()
        }
    }
}
