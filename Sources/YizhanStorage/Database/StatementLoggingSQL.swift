import Logging
import NIOCore
import SQLKit

/// Logs each statement's SQL text at `debug`, never its bound values.
///
/// The SQL kits' own query log includes the bound values, and those include secrets (a generated
/// signing key is stored as a setting), so both engines turn it off and wrap their connections in
/// this. Yizhan binds every value, so the text holds none.
struct StatementLoggingSQL: SQLDatabase {
    let base: any SQLDatabase

    var logger: Logger { base.logger }
    var eventLoop: any EventLoop { base.eventLoop }
    var version: (any SQLDatabaseReportedVersion)? { base.version }
    var dialect: any SQLDialect { base.dialect }
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        log(query)
        return base.execute(sql: query, onRow)
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        log(query)
        try await base.execute(sql: query, onRow)
    }

    private func log(_ query: any SQLExpression) {
        let logger = base.logger
        guard logger.logLevel <= .debug else { return }
        let (sql, binds) = base.serialize(query)
        logger.debug("query", metadata: ["sql": "\(sql)", "binds": "\(binds.count)"])
    }
}
