import Foundation
import Logging
import YizhanIdentity
import YizhanStorage

/// What must hold before this process serves or works: the database is reachable, the schema is
/// migrated (or current, with `--no-migrate`) and the instance identity exists. Runs once, however
/// many services wait on it.
actor Preflight {
    private let dependencies: ServerDependencies
    private var outcome: Task<Void, any Error>?

    init(_ dependencies: ServerDependencies) {
        self.dependencies = dependencies
    }

    func ensure() async throws {
        if outcome == nil {
            let dependencies = dependencies
            outcome = Task { try await Self.run(dependencies) }
        }
        try await outcome!.value
    }

    private static func run(_ dependencies: ServerDependencies) async throws {
        let database = dependencies.database
        try await database.checkReachable()
        let migrator = dependencies.migrator
        if dependencies.configuration.migrateOnStart {
            let applied = try await migrator.migrate()
            if !applied.isEmpty {
                dependencies.logger.info("database migrated", metadata: ["versions": "\(applied)"])
            }
        } else {
            let status = try await migrator.status()
            if status.isNewerThanBinary {
                throw DatabaseError(
                    .schemaNewerThanBinary,
                    "The database is at schema version \(status.appliedVersion) but this yizhan knows only up to \(status.latestVersion); upgrade yizhan.")
            }
            if !status.isCurrent {
                dependencies.logger.warning(
                    "migrations are pending; /health/ready answers 503 until `yizhan migrate` runs",
                    metadata: ["applied": "\(status.appliedVersion)", "latest": "\(status.latestVersion)"])
            }
        }
        if try await migrator.status().isCurrent {
            _ = try await InstanceIdentity.establish(in: SettingsStore(database: database))
            try await bootstrapPlatform(dependencies)
            // A master key that cannot open the stored signing key fails the start, not a login.
            try await dependencies.identity.accessTokens.loadKeys()
        }
    }

    /// On an empty database: the platform tenant and its administrator. A generated password is
    /// written once to standard error, never to the log.
    private static func bootstrapPlatform(_ dependencies: ServerDependencies) async throws {
        let configuration = dependencies.configuration
        let outcome = try await IdentityBootstrap.run(
            dependencies.identity, adminEmail: configuration.bootstrapAdminEmail,
            adminPassword: configuration.bootstrapAdminPassword)
        guard case .created(let email, let generated) = outcome else { return }
        dependencies.logger.notice("created the platform tenant and its administrator", metadata: ["email": "\(email)"])
        if let generated {
            FileHandle.standardError.write(Data("""

                ── Yizhan platform administrator ─────────────────────────────
                   tenant:   platform
                   email:    \(email)
                   password: \(generated)
                This password is shown once. Log in and change it (POST /api/v1/me/password).
                ──────────────────────────────────────────────────────────────

                """.utf8))
        }
    }
}
