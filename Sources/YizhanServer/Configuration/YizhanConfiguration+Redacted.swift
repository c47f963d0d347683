import Logging
import YizhanCredentials
import YizhanIdentity
import YizhanStorage
import YizhanStoragePostgres

extension YizhanConfiguration {
    /// Every key with its effective value, secrets redacted, for `yizhan config`.
    package var redactedEntries: [(key: ConfigurationKey, value: String)] {
        [
            (.host, host),
            (.port, String(port)),
            (.dataDirectory, dataDirectory),
            (.databaseURL, redactedDatabaseURL ?? "(unset: SQLite at \(sqlitePath))"),
            (.databasePoolSize, String(databasePoolSize)),
            (.databaseAcquireTimeout, String(databaseAcquireTimeoutSeconds)),
            (.databaseConnectTimeout, String(databaseConnectTimeoutSeconds)),
            (.sqliteBusyTimeout, String(sqliteBusyTimeoutMilliseconds)),
            (.role, role.rawValue),
            (.migrateOnStart, String(migrateOnStart)),
            (.logLevel, logLevel.rawValue),
            (.logFormat, logFormat.rawValue),
            (.maxBodyBytes, String(maxBodyBytes)),
            (.trustedProxies, trustedProxies.isEmpty ? "(none)" : trustedProxies.joined(separator: ",")),
            (.shutdownGracePeriod, String(shutdownGracePeriodSeconds)),
            (.authJWTKeys, authSigningKeys.isEmpty
                ? "(unset: a generated key kept in the database)"
                : authSigningKeys.map { "\($0.id):***" }.joined(separator: ",")),
            (.authAccessTokenTTL, String(accessTokenTTLSeconds)),
            (.authRefreshTokenTTL, String(refreshTokenTTLSeconds)),
            (.authBcryptCost, String(bcryptCost)),
            (.rateLimitPerSecond, String(rateLimitPerSecond)),
            (.rateLimitBurst, String(rateLimitBurst)),
            (.bootstrapAdminEmail, bootstrapAdminEmail ?? IdentityBootstrap.defaultAdminEmail),
            (.bootstrapAdminPassword, bootstrapAdminPassword == nil ? "(unset: generated and printed once)" : "***"),
            (.masterKey, masterKey == nil
                ? (databaseURL == nil ? "(unset: generated into \(masterKeyPath))" : "(unset)")
                : masterKeyFile == nil ? "***" : "*** (from masterKeyFile)"),
            (.masterKeyFile, masterKeyFile ?? "(unset)"),
            (.metricsToken, metricsToken == nil ? "(unset: /metrics is open)" : "***"),
            (.providersAllowedHosts, providerEgress.description),
            (.testRoutes, testRoutes ? "true (test routes mounted: never in production)" : "false"),
        ]
    }

    /// The database URL with its password replaced by `***`, or `nil` for SQLite.
    package var redactedDatabaseURL: String? {
        guard let databaseURL else { return nil }
        return (try? PostgresURL(databaseURL).description) ?? "***"
    }
}
