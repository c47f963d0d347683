import Logging
import NIOCore
import SQLKit
import Synchronization

/// One connection lent to a piece of work: a transaction, or a plain lease for reads.
///
/// Stores take a `UnitOfWork` and never open connections themselves, so a service decides what
/// commits together: `database.transaction { work in … }` runs every store call inside it on one
/// connection, and all of them commit or none does. It is an `SQLDatabase`, so stores speak SQLKit.
///
/// Every statement's SQL text is logged at `debug`, never its bound values (the SQL kits' own query
/// log includes values, and values include secrets, so the engines turn it off). Every driver error
/// is classified into ``DatabaseError`` (unique violation, serialization failure, busy, unavailable)
/// by the engine that lent the connection; other errors pass through.
package final class UnitOfWork: SQLDatabase, Sendable {
    /// Which engine the connection belongs to, for the few statements that differ.
    package let engine: DatabaseEngine

    private let base: any SQLDatabase
    private let classify: @Sendable (any Error) -> any Error
    private let commitActions = Mutex<[@Sendable () -> Void]>([])
    private let discard = Mutex(false)

    /// Wraps a connection; engines call this, stores never do.
    package init(
        _ base: any SQLDatabase, engine: DatabaseEngine, classify: @escaping @Sendable (any Error) -> any Error
    ) {
        self.base = base
        self.engine = engine
        self.classify = classify
    }

    /// Runs `action` once the work has committed (at once, after the lease, for work outside a
    /// transaction); never when it rolls back. For effects outside the database that must not run
    /// for a change that did not happen, such as clearing a cache.
    package func afterCommit(_ action: @escaping @Sendable () -> Void) {
        commitActions.withLock { $0.append(action) }
    }

    /// Runs the queued ``afterCommit(_:)`` actions; engines call this after `COMMIT`.
    package func committed() {
        let actions = commitActions.withLock { actions in
            defer { actions = [] }
            return actions
        }
        for action in actions { action() }
    }

    /// Whether the connection may be in an unknown transaction state (a `ROLLBACK` failed): the
    /// engine closes it rather than lend it again.
    package var needsDiscard: Bool { discard.withLock { $0 } }

    func markForDiscard() { discard.withLock { $0 = true } }

    package var logger: Logger { base.logger }
    package var eventLoop: any EventLoop { base.eventLoop }
    package var version: (any SQLDatabaseReportedVersion)? { base.version }
    package var dialect: any SQLDialect { base.dialect }
    package var queryLogLevel: Logger.Level? { nil }

    package func execute(
        sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void
    ) -> EventLoopFuture<Void> {
        log(query)
        let classify = classify
        return base.execute(sql: query, onRow).flatMapErrorThrowing { throw classify($0) }
    }

    package func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        log(query)
        do {
            try await base.execute(sql: query, onRow)
        } catch {
            throw classify(error)
        }
    }

    private func log(_ query: any SQLExpression) {
        let logger = base.logger
        guard logger.logLevel <= .debug else { return }
        let (sql, binds) = base.serialize(query)
        logger.debug("query", metadata: ["sql": "\(sql)", "binds": "\(binds.count)"])
    }
}
