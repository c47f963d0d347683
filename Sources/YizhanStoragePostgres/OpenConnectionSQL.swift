import YizhanStorage
import Logging
import NIOCore
import PostgresKit
import PostgresNIO
import SQLKit

/// The SQL interface of one leased PostgreSQL connection, which refuses a query once the
/// connection has closed instead of letting it wait forever.
///
/// postgres-nio writes a query to the connection's channel without a write promise, so a query
/// written to a channel that has already closed is dropped by the empty pipeline and its result
/// never completes (vapor/postgres-nio#487, reverted in #501). The pool hands out such a connection
/// in the moment between the server closing it (a restart, `pg_terminate_backend`) and the pool
/// hearing of it.
///
/// Each query is checked and written in one turn of the connection's event loop, where the channel
/// cannot close in between. An open channel delivers the query to the connection's handler, which
/// fails it if the connection closes later; a closed one answers ``DatabaseError/unavailable``.
struct OpenConnectionSQL: SQLDatabase {
    private let connection: PostgresConnection
    private let sql: any SQLDatabase

    init(_ connection: PostgresConnection) {
        self.connection = connection
        // The kit's query log includes the bound values; StatementLoggingSQL logs the text instead.
        self.sql = connection.sql(queryLogLevel: nil)
    }

    var logger: Logger { sql.logger }
    var eventLoop: any EventLoop { sql.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { sql.version }
    var dialect: any SQLDialect { sql.dialect }
    var queryLogLevel: Logger.Level? { sql.queryLogLevel }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        let (connection, sql) = (connection, sql)
        return connection.eventLoop.flatSubmit {
            guard !connection.isClosed else {
                return connection.eventLoop.makeFailedFuture(
                    DatabaseError(.unavailable, "The database connection was closed."))
            }
            return sql.execute(sql: query, onRow)
        }
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        try await execute(sql: query, onRow).get()
    }
}
