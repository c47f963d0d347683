import Logging
import YizhanStorage
import YizhanStoragePostgres
import YizhanStorageSQLite

/// Picks the engine from configuration: PostgreSQL when a URL is set, the SQLite file otherwise.
/// With Server and YizhanTesting, the only place that names an engine.
package enum DatabaseFactory {
    package static func make(_ configuration: YizhanConfiguration, logger: Logger) throws -> any Database {
        if let url = configuration.databaseURL {
            return PostgresDatabase(
                configuration: .init(
                    url: try PostgresURL(url),
                    poolSize: configuration.databasePoolSize,
                    acquireTimeout: configuration.databaseAcquireTimeout,
                    connectTimeout: configuration.databaseConnectTimeout
                ),
                logger: logger
            )
        }
        return try SQLiteDatabase(
            configuration: .init(
                path: configuration.sqlitePath,
                poolSize: configuration.databasePoolSize,
                busyTimeoutMilliseconds: configuration.sqliteBusyTimeoutMilliseconds,
                acquireTimeout: configuration.databaseAcquireTimeout
            ),
            logger: logger
        )
    }
}
