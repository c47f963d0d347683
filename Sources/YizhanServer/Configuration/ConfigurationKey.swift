/// One configuration key: its name in files, its environment variable, and whether it is secret.
package struct ConfigurationKey: Sendable, Hashable {
    /// The dotted key, as in a JSON or YAML file (`database.url` is `{"database": {"url": …}}`).
    package let name: String
    /// Whether the value must be redacted wherever it is shown.
    package let isSecret: Bool

    package init(_ name: String, isSecret: Bool = false) {
        self.name = name
        self.isSecret = isSecret
    }

    /// The environment variable: `YIZHAN_` and the key in upper snake case (`database.poolSize` is
    /// `YIZHAN_DATABASE_POOL_SIZE`).
    package var environmentVariable: String {
        var result = "YIZHAN"
        for component in name.split(separator: ".") {
            result += "_"
            var previousWasLower = false
            for character in component {
                if character.isUppercase && previousWasLower { result += "_" }
                result += character.uppercased()
                previousWasLower = character.isLowercase
            }
        }
        return result
    }

    package static let host = ConfigurationKey("host")
    package static let port = ConfigurationKey("port")
    package static let dataDirectory = ConfigurationKey("dataDir")
    package static let databaseURL = ConfigurationKey("database.url", isSecret: true)
    package static let databasePoolSize = ConfigurationKey("database.poolSize")
    package static let databaseAcquireTimeout = ConfigurationKey("database.acquireTimeoutSeconds")
    package static let databaseConnectTimeout = ConfigurationKey("database.connectTimeoutSeconds")
    package static let sqliteBusyTimeout = ConfigurationKey("sqlite.busyTimeoutMilliseconds")
    package static let role = ConfigurationKey("role")
    package static let migrateOnStart = ConfigurationKey("migrate.onStart")
    package static let logLevel = ConfigurationKey("log.level")
    package static let logFormat = ConfigurationKey("log.format")
    package static let maxBodyBytes = ConfigurationKey("http.maxBodyBytes")
    package static let shutdownGracePeriod = ConfigurationKey("shutdown.gracePeriodSeconds")
    package static let trustedProxies = ConfigurationKey("http.trustedProxies")
    package static let jobsConcurrency = ConfigurationKey("jobs.concurrency")
    package static let jobsRetentionDays = ConfigurationKey("jobs.retentionDays")
    package static let auditRetentionDays = ConfigurationKey("audit.retentionDays")
    package static let authJWTKeys = ConfigurationKey("auth.jwtKeys", isSecret: true)
    package static let authAccessTokenTTL = ConfigurationKey("auth.accessTokenTtlSeconds")
    package static let authRefreshTokenTTL = ConfigurationKey("auth.refreshTokenTtlSeconds")
    package static let authBcryptCost = ConfigurationKey("auth.bcryptCost")
    package static let rateLimitPerSecond = ConfigurationKey("rateLimit.perSecond")
    package static let rateLimitBurst = ConfigurationKey("rateLimit.burst")
    package static let bootstrapAdminEmail = ConfigurationKey("bootstrap.adminEmail")
    package static let bootstrapAdminPassword = ConfigurationKey("bootstrap.adminPassword", isSecret: true)
    package static let masterKey = ConfigurationKey("masterKey", isSecret: true)
    /// A file holding the master key(s); the path is not secret, the file's contents are.
    package static let masterKeyFile = ConfigurationKey("masterKeyFile")
    package static let metricsToken = ConfigurationKey("metrics.token", isSecret: true)
    package static let testRoutes = ConfigurationKey("testRoutes")
    package static let providersAllowedHosts = ConfigurationKey("providers.allowedHosts")

    /// Every key, in the order `yizhan config` prints them.
    package static let all: [ConfigurationKey] = [
        .host, .port, .dataDirectory, .databaseURL, .databasePoolSize, .databaseAcquireTimeout,
        .databaseConnectTimeout, .sqliteBusyTimeout, .role, .migrateOnStart, .logLevel, .logFormat,
        .maxBodyBytes, .trustedProxies, .shutdownGracePeriod, .jobsConcurrency, .jobsRetentionDays, .auditRetentionDays, .authJWTKeys, .authAccessTokenTTL, .authRefreshTokenTTL,
        .authBcryptCost, .rateLimitPerSecond, .rateLimitBurst, .bootstrapAdminEmail, .bootstrapAdminPassword, .masterKey, .masterKeyFile, .metricsToken,
        .providersAllowedHosts, .testRoutes,
    ]
}
