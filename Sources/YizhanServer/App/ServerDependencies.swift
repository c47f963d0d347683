import Foundation
import Logging
import YizhanStorage

/// What the HTTP application is built from; the composition root fills it in.
public struct ServerDependencies: Sendable {
    public var configuration: YizhanConfiguration
    public var database: any Database
    public var migrations: [Migration]
    public var logger: Logger
    public var metrics: MetricsRegistry
    public var startedAt: Date

    public init(
        configuration: YizhanConfiguration,
        database: any Database,
        migrations: [Migration] = SchemaMigrations.all,
        logger: Logger,
        metrics: MetricsRegistry = MetricsRegistry(),
        startedAt: Date = Date()
    ) {
        self.configuration = configuration
        self.database = database
        self.migrations = migrations
        self.logger = logger
        self.metrics = metrics
        self.startedAt = startedAt
    }

    var migrator: Migrator { Migrator(database: database, migrations: migrations, logger: logger) }
}
