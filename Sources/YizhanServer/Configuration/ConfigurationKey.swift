/// One configuration key: its name in files, its environment variable, and whether it is secret.
public struct ConfigurationKey: Sendable, Hashable {
    /// The dotted key, as in a JSON or YAML file (`database.url` is `{"database": {"url": …}}`).
    public let name: String
    /// Whether the value must be redacted wherever it is shown.
    public let isSecret: Bool

    public init(_ name: String, isSecret: Bool = false) {
        self.name = name
        self.isSecret = isSecret
    }

    /// The environment variable: `YIZHAN_` and the key in upper snake case (`database.poolSize` is
    /// `YIZHAN_DATABASE_POOL_SIZE`).
    public var environmentVariable: String {
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

    public static let host = ConfigurationKey("host")
    public static let port = ConfigurationKey("port")
    public static let dataDirectory = ConfigurationKey("dataDir")
    public static let databaseURL = ConfigurationKey("database.url", isSecret: true)
    public static let databasePoolSize = ConfigurationKey("database.poolSize")
    public static let databaseAcquireTimeout = ConfigurationKey("database.acquireTimeoutSeconds")
    public static let databaseConnectTimeout = ConfigurationKey("database.connectTimeoutSeconds")
    public static let sqliteBusyTimeout = ConfigurationKey("sqlite.busyTimeoutMilliseconds")
    public static let role = ConfigurationKey("role")
    public static let migrateOnStart = ConfigurationKey("migrate.onStart")
    public static let logLevel = ConfigurationKey("log.level")
    public static let logFormat = ConfigurationKey("log.format")
    public static let maxBodyBytes = ConfigurationKey("http.maxBodyBytes")
    public static let shutdownGracePeriod = ConfigurationKey("shutdown.gracePeriodSeconds")
    public static let trustedProxies = ConfigurationKey("http.trustedProxies")
    public static let authJWTKeys = ConfigurationKey("auth.jwtKeys", isSecret: true)
    public static let authAccessTokenTTL = ConfigurationKey("auth.accessTokenTtlSeconds")
    public static let authRefreshTokenTTL = ConfigurationKey("auth.refreshTokenTtlSeconds")
    public static let authBcryptCost = ConfigurationKey("auth.bcryptCost")
    public static let rateLimitPerSecond = ConfigurationKey("rateLimit.perSecond")
    public static let rateLimitBurst = ConfigurationKey("rateLimit.burst")
    public static let bootstrapAdminEmail = ConfigurationKey("bootstrap.adminEmail")
    public static let bootstrapAdminPassword = ConfigurationKey("bootstrap.adminPassword", isSecret: true)
    public static let masterKey = ConfigurationKey("masterKey", isSecret: true)
    public static let metricsToken = ConfigurationKey("metrics.token", isSecret: true)

    /// Every key, in the order `yizhan config` prints them.
    public static let all: [ConfigurationKey] = [
        .host, .port, .dataDirectory, .databaseURL, .databasePoolSize, .databaseAcquireTimeout,
        .databaseConnectTimeout, .sqliteBusyTimeout, .role, .migrateOnStart, .logLevel, .logFormat,
        .maxBodyBytes, .trustedProxies, .shutdownGracePeriod, .authJWTKeys, .authAccessTokenTTL, .authRefreshTokenTTL,
        .authBcryptCost, .rateLimitPerSecond, .rateLimitBurst, .bootstrapAdminEmail, .bootstrapAdminPassword, .masterKey, .metricsToken,
    ]
}
