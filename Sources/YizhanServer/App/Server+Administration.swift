import Logging
import YizhanStorage

extension Server {
    /// Runs `body` with every module's services on the configured database, for the administration
    /// commands (`yizhan tenants|users|api-keys|jobs|queues`). Pending migrations are applied first,
    /// as `serve` does, so the commands work on a fresh database.
    package static func withServices<Result: Sendable>(
        configuration: YizhanConfiguration,
        logger: Logger,
        _ body: @escaping @Sendable (ServerDependencies) async throws -> Result
    ) async throws -> Result {
        let configuration = try MasterKeyFile.resolve(configuration)
        let database = try DatabaseFactory.make(configuration, logger: logger)
        let dependencies = try ServerDependencies(configuration: configuration, database: database, logger: logger)
        return try await database.whileRunning {
            try await database.checkReachable()
            try await dependencies.migrator.migrate()
            return try await body(dependencies)
        }
    }
}
