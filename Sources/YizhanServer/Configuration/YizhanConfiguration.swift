import Configuration
import Logging
import YizhanCredentials
import YizhanIdentity

/// Everything `yizhan serve` can be told, read through swift-configuration.
///
/// Precedence is flags > environment (`YIZHAN_*`) > config file > defaults; ``ConfigurationLoader``
/// builds the reader in that order. Every key is documented in `docs/configuration.md`.
package struct YizhanConfiguration: Sendable {
    /// Which parts of Yizhan this process runs.
    package enum Role: String, Sendable, CaseIterable {
        /// HTTP API, workers and scheduler in one process (the default).
        case all
        /// Only the HTTP API.
        case api
        /// Only the workers and scheduler.
        case worker
    }

    /// How log lines are written.
    package enum LogFormat: String, Sendable, CaseIterable {
        /// One readable line per event, for a terminal.
        case text
        /// One JSON object per line, for a log pipeline.
        case json
    }

    /// Address to listen on.
    package var host = "127.0.0.1"
    /// Port to listen on (0 picks a free one).
    package var port = 8080
    /// Directory for the embedded SQLite database and other local data.
    package var dataDirectory = "./yizhan-data"
    /// A `postgres://` URL; when set, PostgreSQL is used instead of SQLite. Secret.
    package var databaseURL: String?
    /// The most database connections this process opens.
    package var databasePoolSize = 10
    /// Seconds a request waits for a database connection before answering 503.
    package var databaseAcquireTimeoutSeconds = 5.0
    /// ``databaseAcquireTimeoutSeconds`` as a duration.
    package var databaseAcquireTimeout: Duration { .seconds(databaseAcquireTimeoutSeconds) }
    /// Seconds one PostgreSQL connection attempt may take.
    package var databaseConnectTimeoutSeconds = 5.0
    /// ``databaseConnectTimeoutSeconds`` as a duration.
    package var databaseConnectTimeout: Duration { .seconds(databaseConnectTimeoutSeconds) }
    /// Milliseconds an SQLite writer waits for the lock.
    package var sqliteBusyTimeoutMilliseconds = 5000
    /// Which parts this process runs.
    package var role = Role.all
    /// Whether `serve` applies pending migrations at start.
    package var migrateOnStart = true
    /// The lowest log level written.
    package var logLevel = Logger.Level.info
    /// How log lines are written.
    package var logFormat = LogFormat.text
    /// The largest request body accepted, in bytes.
    package var maxBodyBytes = 1_048_576
    /// Addresses of reverse proxies whose `X-Forwarded-For` is believed (empty: none).
    package var trustedProxies: [String] = []
    /// Seconds in-flight work may take to finish after SIGTERM before it is cancelled.
    package var shutdownGracePeriodSeconds = 30.0
    /// How many jobs of the default queue one worker process runs at once.
    package var jobsConcurrency = 10
    /// Days completed, cancelled and discarded jobs are kept.
    package var jobsRetentionDays = 7.0
    /// Days audit entries are kept (0 keeps them forever).
    package var auditRetentionDays = 365.0
    /// ``shutdownGracePeriodSeconds`` as a duration.
    package var shutdownGracePeriod: Duration { .seconds(shutdownGracePeriodSeconds) }

    /// Access-token signing keys, `kid:secret,…` (the first signs, all verify); empty means a key
    /// generated once and kept in the database. Secret.
    package var authSigningKeys: [SigningKey] = []
    /// Seconds an access token is valid for.
    package var accessTokenTTLSeconds = 900
    /// Seconds a refresh token is valid for.
    package var refreshTokenTTLSeconds = 604_800
    /// bcrypt cost of password hashes (12 or more).
    package var bcryptCost = PasswordHasher.minimumProductionCost
    /// Requests per second per API key or user.
    package var rateLimitPerSecond = 50.0
    /// Burst size per API key or user.
    package var rateLimitBurst = 100
    /// Email of the platform administrator created on an empty database.
    package var bootstrapAdminEmail: String?
    /// Password of that administrator; generated and printed once when unset. Secret.
    package var bootstrapAdminPassword: String?

    /// The master key(s) sealing secrets kept in the database: base64 32-byte keys, comma-separated,
    /// the first sealing. Unset with SQLite: generated once into `<dataDir>/master.key` (mode 0600).
    /// Unset with PostgreSQL: `auth.jwtKeys` must be set. Read from ``masterKeyFile`` when that is
    /// set. Secret.
    package var masterKey: String?
    /// The file the master key(s) were read from (comma- or line-separated, readable by its owner
    /// alone), if they were given that way.
    package var masterKeyFile: String?
    /// When set, `GET /metrics` answers only `Authorization: Bearer <token>`. Secret.
    package var metricsToken: String?
    /// Where apps may send provider calls beside their providers' public APIs (over https): host
    /// names, `*.domain`, addresses and CIDR networks — a private deployment, a sandbox.
    package var providerEgress = ProviderEgressPolicy.publicOnly
    /// Mounts the routes under `/_test/` that the multi-process tests drive (``TestRoutes``). Never
    /// in production: they make provider calls on request. Off by default.
    package var testRoutes = false

    /// The defaults.
    package init() {}

    /// The identity layer's settings.
    package var identity: IdentityConfiguration {
        IdentityConfiguration(
            signingKeys: authSigningKeys,
            accessTokenLifetime: .seconds(accessTokenTTLSeconds),
            refreshTokenLifetime: .seconds(refreshTokenTTLSeconds),
            bcryptCost: bcryptCost,
            rateLimitPerSecond: rateLimitPerSecond,
            rateLimitBurst: rateLimitBurst)
    }

    /// The file holding the generated master key when none is configured (SQLite only).
    package var masterKeyPath: String { dataDirectory.hasSuffix("/") ? dataDirectory + "master.key" : dataDirectory + "/master.key" }

    /// The SQLite file used when no database URL is set.
    package var sqlitePath: String { dataDirectory.hasSuffix("/") ? dataDirectory + "yizhan.sqlite" : dataDirectory + "/yizhan.sqlite" }

    /// Which engine this configuration selects.
    package var engineName: String { databaseURL == nil ? "sqlite" : "postgres" }
}
