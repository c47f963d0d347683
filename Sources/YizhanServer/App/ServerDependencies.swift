import Foundation
import Logging
import YizhanCore
import YizhanCredentials
import YizhanIdentity
import YizhanJobs
import YizhanMessaging
import YizhanStorage

/// What the HTTP application is built from; the composition root fills it in.
package struct ServerDependencies: Sendable {
    /// Every module's migrations, in version order: the one list the ``Migrator`` applies. A new
    /// domain module appends its schema's migrations here (docs/architecture.md).
    package static let migrations: [Migration] =
        SettingsSchema.migrations + IdentitySchema.migrations + JobsSchema.migrations + CredentialsSchema.migrations
        + MessagingSchema.migrations

    package var configuration: YizhanConfiguration
    package var database: any Database
    package var migrations: [Migration]
    package var logger: Logger
    package var metrics: MetricsRegistry
    package var clock: any TimeSource
    package var startedAt: Date
    /// Tenants, users, tokens, keys, roles, quotas and the audit log.
    package var identity: Identity
    /// Provider apps and robots with their sealed credentials.
    package var credentials: Credentials
    /// The job queue: enqueueing, administration, workers.
    package var jobs: Jobs
    /// Messages: accepted, dispatched through the queue, read back.
    package var messaging: Messaging

    /// - Throws: `ConfigurationError` when the master key is malformed.
    package init(
        configuration: YizhanConfiguration,
        database: any Database,
        migrations: [Migration] = ServerDependencies.migrations,
        logger: Logger,
        metrics: MetricsRegistry = MetricsRegistry(),
        clock: any TimeSource = SystemTimeSource()
    ) throws {
        self.configuration = configuration
        self.database = database
        self.migrations = migrations
        self.logger = logger
        self.metrics = metrics
        self.clock = clock
        self.startedAt = clock.now()
        let vault = try Self.vault(configuration)
        self.identity = Identity(database: database, configuration: configuration.identity, keyVault: vault, clock: clock)
        self.credentials = Credentials(
            database: database, identity: identity, vault: vault, clock: clock, egress: configuration.providerEgress, logger: logger,
            tokenObserver: metrics.tokens)
        self.jobs = Jobs(database: database, clock: clock)
        self.messaging = Messaging(
            database: database, clock: clock, identity: identity, credentials: credentials, jobs: jobs, logger: logger,
            observer: metrics.messages)
    }

    /// The vault of the configured master key, if there is one.
    static func vault(_ configuration: YizhanConfiguration) throws -> SecretVault? {
        guard let key = configuration.masterKey else { return nil }
        do { return try SecretVault(masterKeys: key) } catch {
            throw ConfigurationError(key: ConfigurationKey.masterKey.name, message: error.description)
        }
    }

    var migrator: Migrator { Migrator(database: database, migrations: migrations, logger: logger) }
}
