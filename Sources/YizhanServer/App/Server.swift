import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import UnixSignals
import YizhanCredentials
import YizhanJobs
import YizhanStorage

/// `yizhan serve`: the database, the worker and the HTTP API in one service group.
package enum Server {
    /// Runs until SIGTERM or SIGINT, then drains: stop accepting, finish in-flight requests (up to the
    /// grace period), let the token pool store the fetches in flight, close the database.
    /// - Parameters:
    ///   - extraRoutes: Routes added behind the same middleware (tests use it for slow routes).
    ///   - shutdownSignals: The signals that start the drain (tests use one no other service listens to).
    ///   - onServerRunning: Called with the bound port once the API listens.
    ///   - logSink: The sink the loggers write to; its writer runs first in the group, so it stops
    ///     last and the other services' last lines are written.
    package static func run(
        configuration: YizhanConfiguration,
        logger: Logger,
        logSink: LogSink? = nil,
        extraRoutes: @escaping (Router<AppRequestContext>) -> Void = { _ in },
        shutdownSignals: [UnixSignal] = [.sigterm, .sigint],
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        if configuration.masterKey == nil && configuration.databaseURL == nil {
            logger.notice(
                "no master key is configured: using the one generated in the data directory; back it up with the database",
                metadata: ["path": "\(configuration.masterKeyPath)"])
        }
        let configuration = try MasterKeyFile.resolve(configuration)
        let database = try DatabaseFactory.make(configuration, logger: logger)
        let dependencies = try ServerDependencies(configuration: configuration, database: database, logger: logger)
        let preflight = Preflight(dependencies)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = logSink.map { [.init(service: $0)] } ?? []
        services.append(.init(service: database))
        // Stops before the database: token fetches in flight at shutdown are stored first.
        services.append(.init(service: TokenPoolService(tokens: dependencies.credentials.tokens)))
        if configuration.role != .api {
            var workerConfiguration = try JobHandlers.workerConfiguration(configuration)
            workerConfiguration.observer = dependencies.metrics.jobs
            let worker = dependencies.jobs.worker(
                registry: JobHandlers.registry(dependencies), configuration: workerConfiguration, logger: logger)
            services.append(.init(service: WorkerService(preflight: preflight, worker: worker, logger: logger)))
        }
        if configuration.role != .worker {
            let application = try App.buildApplication(dependencies, extraRoutes: extraRoutes) { channel in
                let port = channel.localAddress?.port ?? configuration.port
                logger.info("serving", metadata: [
                    "address": "http://\(configuration.host):\(port)",
                    "engine": "\(database.engine)",
                    "role": "\(configuration.role.rawValue)",
                ])
                await onServerRunning(port)
            }
            services.append(.init(service: HTTPService(application: application, preflight: preflight)))
        }
        var groupConfiguration = ServiceGroupConfiguration(services: services, logger: logger)
        groupConfiguration.gracefulShutdownSignals = shutdownSignals
        groupConfiguration.maximumGracefulShutdownDuration = configuration.shutdownGracePeriod
        groupConfiguration.maximumCancellationDuration = .seconds(5)
        try await ServiceGroup(configuration: groupConfiguration).run()
        logger.info("stopped")
    }

    /// `yizhan migrate`: applies pending migrations and returns the versions applied.
    package static func migrate(configuration: YizhanConfiguration, logger: Logger) async throws -> [Int] {
        let database = try DatabaseFactory.make(configuration, logger: logger)
        return try await database.whileRunning {
            try await database.checkReachable()
            return try await Migrator(database: database, migrations: ServerDependencies.migrations, logger: logger).migrate()
        }
    }
}
