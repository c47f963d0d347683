import Foundation
import Logging
import YizhanIdentity
import YizhanStorage

/// What the HTTP application is built from; the composition root fills it in.
public struct ServerDependencies: Sendable {
    public var configuration: YizhanConfiguration
    public var database: any Database
    public var migrations: [Migration]
    public var logger: Logger
    public var metrics: MetricsRegistry
    public var startedAt: Date
    /// Tenants, users, tokens, keys, roles, quotas and the audit log.
    public var identity: Identity

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
        self.identity = Identity(database: database, configuration: configuration.identity)
    }

    var migrator: Migrator { Migrator(database: database, migrations: migrations, logger: logger) }
}
