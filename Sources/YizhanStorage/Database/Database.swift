import ServiceLifecycle
import SQLKit

/// One way for every module to run queries and transactions on either engine.
///
/// A `Database` is a ServiceLifecycle `Service`: it must be running (in a `ServiceGroup`, or in a task
/// with ``run()``) before connections can be leased, and it closes its connections when the group
/// shuts down. Domain modules see only this protocol and ``UnitOfWork``; the composition root picks
/// the engine (`YizhanStorageSQLite`, `YizhanStoragePostgres`).
package protocol Database: Service, Sendable {
    /// Which engine this is.
    var engine: DatabaseEngine { get }

    /// Lends one connection to `body`, outside a transaction (each statement commits on its own).
    ///
    /// Throws ``DatabaseError`` `unavailable` when no connection can be had within the acquire timeout.
    func withConnection<Result: Sendable>(
        _ body: @Sendable (UnitOfWork) async throws -> Result
    ) async throws -> Result

    /// Runs `body` in one transaction: committed if `body` returns, rolled back if it throws.
    ///
    /// PostgreSQL runs it at `READ COMMITTED` and runs `body` again (up to three times in all) when
    /// the server aborts it as a serialization failure or deadlock, so `body` must not have effects
    /// outside the database except through ``UnitOfWork/afterCommit(_:)``. SQLite takes the write
    /// lock at `BEGIN`, so its transactions never conflict.
    func transaction<Result: Sendable>(
        _ body: @Sendable (UnitOfWork) async throws -> Result
    ) async throws -> Result

    /// Checks that the database can be reached now; the error's message says why not, without secrets.
    func checkReachable() async throws

    /// A snapshot of the connection pool, for metrics.
    func poolStatistics() async -> PoolStatistics

    /// Returns once ``run()`` has started the connection pool, so that work begun now finds it
    /// running. An engine with nothing to start returns at once.
    func waitUntilRunning() async

    /// Whether ``listen(channel:_:)`` delivers notifications sent by other processes.
    var deliversNotifications: Bool { get }

    /// Calls `onNotification` with the payload of every notification sent on `channel` (PostgreSQL
    /// `LISTEN`; `NOTIFY` and `pg_notify` send, delivered at their transaction's commit) until the
    /// task is cancelled or the connection is lost (then it throws, and the caller listens again).
    /// An engine without notifications returns when cancelled, having delivered none.
    func listen(channel: String, _ onNotification: @escaping @Sendable (String) -> Void) async throws
}

extension Database {
    package func waitUntilRunning() async {}

    package var deliversNotifications: Bool { false }

    package func listen(channel: String, _ onNotification: @escaping @Sendable (String) -> Void) async throws {
        try? await Task.sleep(for: .seconds(86_400 * 365))
    }

    /// Checks that the database answers a trivial query.
    package func ping() async throws {
        try await withConnection { work in
            try await work.raw("SELECT 1").run()
        }
    }
}

extension UnitOfWork {
    /// Runs `body` on this plain lease, then its after-commit actions (each statement has committed
    /// on its own). Engines call this for ``Database/withConnection(_:)``.
    package func runLease<Result: Sendable>(_ body: @Sendable (UnitOfWork) async throws -> Result) async throws -> Result {
        let result = try await body(self)
        committed()
        return result
    }

    /// Runs `body` between `begin` and `COMMIT` on this connection, rolling back if it throws, and
    /// runs the after-commit actions once committed. Engines call this with a fresh transaction unit.
    ///
    /// `COMMIT` and `ROLLBACK` run where the caller's cancellation cannot reach them (a cancelled
    /// task's queries fail at once on SQLite): a transaction always ends before its connection goes
    /// back to the pool. If it cannot be ended, ``needsDiscard`` tells the engine to close the
    /// connection instead of pooling it.
    package func runTransaction<Result: Sendable>(
        begin: String, _ body: @Sendable (UnitOfWork) async throws -> Result
    ) async throws -> Result {
        do {
            try await raw(SQLQueryString(begin)).run()
        } catch {
            await end("ROLLBACK")  // harmless if BEGIN left no transaction
            throw error
        }
        let result: Result
        do {
            result = try await body(self)
        } catch {
            await end("ROLLBACK")
            throw error
        }
        do {
            try await Task { try await self.raw("COMMIT").run() }.value
        } catch {
            await end("ROLLBACK")
            throw error
        }
        committed()
        return result
    }

    /// Ends the transaction with `statement`, shielded from cancellation; marks the connection for
    /// discarding when that fails.
    private func end(_ statement: String) async {
        let ended = await Task { (try? await self.raw(SQLQueryString(statement)).run()) != nil }.value
        if !ended { markForDiscard() }
    }
}
