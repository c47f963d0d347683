#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Configuration
import Logging
import SystemPackage
import YizhanCore
import YizhanCredentials
import YizhanIdentity
import YizhanStorage
import YizhanStoragePostgres

/// Builds ``YizhanConfiguration`` from flags, the environment, a config file and defaults, in that
/// order of precedence, and reports where each value came from.
package enum ConfigurationLoader {
    /// The result of loading: the configuration and the source of each key's value.
    package struct Loaded: Sendable {
        package var configuration: YizhanConfiguration
        /// Key name → `flag`, `environment`, `file` or `default`.
        package var sources: [String: String]
    }

    /// Loads and validates the configuration.
    /// - Parameters:
    ///   - flags: Values given on the command line; they win over everything else.
    ///   - configFile: A `.json`, `.yaml` or `.yml` file, or `nil`.
    ///   - environment: The process environment (only `YIZHAN_*` variables are read).
    /// - Throws: ``ConfigurationError`` naming every bad key.
    package static func load(
        flags: [ConfigurationKey: ConfigContent] = [:],
        configFile: String? = nil,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) async throws -> Loaded {
        var providers: [any ConfigProvider] = [
            InMemoryProvider(
                name: "flag",
                values: Dictionary(uniqueKeysWithValues: flags.map { (AbsoluteConfigKey(ConfigKey($0.key.name)), ConfigValue($0.value, isSecret: $0.key.isSecret)) })
            ),
            EnvironmentVariablesProvider(
                environmentVariables: environment.filter { $0.key.hasPrefix("YIZHAN_") },
                secretsSpecifier: .specific(Set(ConfigurationKey.all.filter(\.isSecret).map(\.environmentVariable)))
            ).prefixKeys(with: "yizhan"),
        ]
        if let configFile {
            providers.append(try await fileProvider(configFile))
        }
        let recorder = ConfigAccessRecorder()
        let reader = ConfigReader(providers: providers, accessReporter: recorder)
        let configuration = try read(reader, recorder: recorder)
        return Loaded(configuration: configuration, sources: recorder.sources)
    }

    private static func fileProvider(_ path: String) async throws -> any ConfigProvider {
        guard FileManager.default.fileExists(atPath: path) else {
            throw ConfigurationError(key: "--config", message: "no such file: \(path)")
        }
        do {
            if path.hasSuffix(".yaml") || path.hasSuffix(".yml") {
                return try await FileProvider<YAMLSnapshot>(filePath: FilePath(path))
            }
            return try await FileProvider<JSONSnapshot>(filePath: FilePath(path))
        } catch {
            throw ConfigurationError(key: "--config", message: "cannot parse \(path): \(error)")
        }
    }

    private static func read(_ reader: ConfigReader, recorder: ConfigAccessRecorder) throws -> YizhanConfiguration {
        var c = YizhanConfiguration()
        var problems: [(key: String, message: String)] = []
        func check(_ key: ConfigurationKey, _ valid: Bool, _ message: String) {
            if !valid { problems.append((key.name, message)) }
        }

        c.host = reader.string(forKey: .init(ConfigurationKey.host.name), default: c.host)
        c.port = reader.int(forKey: .init(ConfigurationKey.port.name), default: c.port)
        check(.port, (0...65535).contains(c.port), "must be between 0 and 65535")
        c.dataDirectory = reader.string(forKey: .init(ConfigurationKey.dataDirectory.name), default: c.dataDirectory)
        check(.dataDirectory, !c.dataDirectory.isEmpty, "must not be empty")

        c.databaseURL = reader.string(forKey: .init(ConfigurationKey.databaseURL.name), isSecret: true)
        if let url = c.databaseURL, url.isEmpty { c.databaseURL = nil }
        if let url = c.databaseURL {
            do { _ = try PostgresURL(url) } catch { problems.append((ConfigurationKey.databaseURL.name, "\(error)")) }
        }
        c.databasePoolSize = reader.int(forKey: .init(ConfigurationKey.databasePoolSize.name), default: c.databasePoolSize)
        check(.databasePoolSize, (1...1000).contains(c.databasePoolSize), "must be between 1 and 1000")
        c.databaseAcquireTimeoutSeconds = reader.double(
            forKey: .init(ConfigurationKey.databaseAcquireTimeout.name), default: c.databaseAcquireTimeoutSeconds)
        check(.databaseAcquireTimeout, c.databaseAcquireTimeoutSeconds > 0, "must be greater than 0")
        c.databaseConnectTimeoutSeconds = reader.double(
            forKey: .init(ConfigurationKey.databaseConnectTimeout.name), default: c.databaseConnectTimeoutSeconds)
        check(.databaseConnectTimeout, c.databaseConnectTimeoutSeconds > 0, "must be greater than 0")
        c.sqliteBusyTimeoutMilliseconds = reader.int(
            forKey: .init(ConfigurationKey.sqliteBusyTimeout.name), default: c.sqliteBusyTimeoutMilliseconds)
        check(.sqliteBusyTimeout, c.sqliteBusyTimeoutMilliseconds >= 0, "must not be negative")

        let role = reader.string(forKey: .init(ConfigurationKey.role.name), default: c.role.rawValue)
        if let value = YizhanConfiguration.Role(rawValue: role) { c.role = value } else {
            problems.append((ConfigurationKey.role.name, "must be one of all, api, worker"))
        }
        c.migrateOnStart = reader.bool(forKey: .init(ConfigurationKey.migrateOnStart.name), default: c.migrateOnStart)

        let level = reader.string(forKey: .init(ConfigurationKey.logLevel.name), default: c.logLevel.rawValue)
        if let value = Logger.Level(rawValue: level.lowercased()) { c.logLevel = value } else {
            problems.append((ConfigurationKey.logLevel.name, "must be one of trace, debug, info, notice, warning, error, critical"))
        }
        let format = reader.string(forKey: .init(ConfigurationKey.logFormat.name), default: c.logFormat.rawValue)
        if let value = YizhanConfiguration.LogFormat(rawValue: format.lowercased()) { c.logFormat = value } else {
            problems.append((ConfigurationKey.logFormat.name, "must be text or json"))
        }
        c.maxBodyBytes = reader.int(forKey: .init(ConfigurationKey.maxBodyBytes.name), default: c.maxBodyBytes)
        check(.maxBodyBytes, c.maxBodyBytes >= 1024, "must be at least 1024")
        if let proxies = reader.string(forKey: .init(ConfigurationKey.trustedProxies.name)) {
            c.trustedProxies = proxies.split(separator: ",").map { String($0.filter { !$0.isWhitespace }) }.filter { !$0.isEmpty }
        }
        c.shutdownGracePeriodSeconds = reader.double(
            forKey: .init(ConfigurationKey.shutdownGracePeriod.name), default: c.shutdownGracePeriodSeconds)
        check(.shutdownGracePeriod, c.shutdownGracePeriodSeconds >= 0, "must not be negative")
        c.jobsConcurrency = reader.int(forKey: .init(ConfigurationKey.jobsConcurrency.name), default: c.jobsConcurrency)
        check(.jobsConcurrency, c.jobsConcurrency >= 1, "must be at least 1")
        c.jobsRetentionDays = reader.double(forKey: .init(ConfigurationKey.jobsRetentionDays.name), default: c.jobsRetentionDays)
        check(.jobsRetentionDays, c.jobsRetentionDays > 0, "must be positive")
        c.auditRetentionDays = reader.double(forKey: .init(ConfigurationKey.auditRetentionDays.name), default: c.auditRetentionDays)
        check(.auditRetentionDays, c.auditRetentionDays >= 0, "must not be negative")

        if let keys = reader.string(forKey: .init(ConfigurationKey.authJWTKeys.name), isSecret: true), !keys.isEmpty {
            do { c.authSigningKeys = try SigningKey.parseList(keys) } catch {
                problems.append((ConfigurationKey.authJWTKeys.name, error.message))
            }
        }
        c.accessTokenTTLSeconds = reader.int(forKey: .init(ConfigurationKey.authAccessTokenTTL.name), default: c.accessTokenTTLSeconds)
        check(.authAccessTokenTTL, (30...86_400).contains(c.accessTokenTTLSeconds), "must be between 30 and 86400")
        c.refreshTokenTTLSeconds = reader.int(forKey: .init(ConfigurationKey.authRefreshTokenTTL.name), default: c.refreshTokenTTLSeconds)
        check(.authRefreshTokenTTL, (60...31_536_000).contains(c.refreshTokenTTLSeconds), "must be between 60 and 31536000")
        c.bcryptCost = reader.int(forKey: .init(ConfigurationKey.authBcryptCost.name), default: c.bcryptCost)
        check(.authBcryptCost, (PasswordHasher.minimumProductionCost...16).contains(c.bcryptCost), "must be between 12 and 16")
        c.rateLimitPerSecond = reader.double(forKey: .init(ConfigurationKey.rateLimitPerSecond.name), default: c.rateLimitPerSecond)
        check(.rateLimitPerSecond, c.rateLimitPerSecond > 0, "must be greater than 0")
        c.rateLimitBurst = reader.int(forKey: .init(ConfigurationKey.rateLimitBurst.name), default: c.rateLimitBurst)
        check(.rateLimitBurst, c.rateLimitBurst >= 1, "must be at least 1")
        c.bootstrapAdminEmail = reader.string(forKey: .init(ConfigurationKey.bootstrapAdminEmail.name))
        c.bootstrapAdminPassword = reader.string(forKey: .init(ConfigurationKey.bootstrapAdminPassword.name), isSecret: true)
        if let password = c.bootstrapAdminPassword {
            do {
                try PasswordPolicy.validate(password, email: c.bootstrapAdminEmail ?? IdentityBootstrap.defaultAdminEmail)
            } catch {
                problems.append((ConfigurationKey.bootstrapAdminPassword.name, error.message))
            }
        }

        problems += readMasterKey(reader, into: &c)
        if c.databaseURL != nil && c.masterKey == nil && c.authSigningKeys.isEmpty {
            problems.append((
                ConfigurationKey.masterKey.name,
                "masterKey or masterKeyFile must be set with PostgreSQL unless auth.jwtKeys is (every process must seal and open the same secrets)"))
        }
        c.metricsToken = reader.string(forKey: .init(ConfigurationKey.metricsToken.name), isSecret: true)
        if let token = c.metricsToken, token.isEmpty { c.metricsToken = nil }
        check(.metricsToken, (c.metricsToken?.utf8.count ?? 16) >= 16, "must be at least 16 characters")
        c.testRoutes = reader.bool(forKey: .init(ConfigurationKey.testRoutes.name), default: c.testRoutes)
        if let hosts = reader.string(forKey: .init(ConfigurationKey.providersAllowedHosts.name)) {
            do {
                c.providerEgress = try ProviderEgressPolicy(allowedHosts: hosts.split(separator: ",").map(String.init))
            } catch {
                problems.append((ConfigurationKey.providersAllowedHosts.name, "\(error.description)"))
            }
        }

        problems = recorder.problems + problems
        if !problems.isEmpty { throw ConfigurationError(problems: problems) }
        return c
    }

    /// The master key from `masterKey` or from the file `masterKeyFile` names (not both).
    private static func readMasterKey(_ reader: ConfigReader, into c: inout YizhanConfiguration) -> [(key: String, message: String)] {
        c.masterKey = reader.string(forKey: .init(ConfigurationKey.masterKey.name), isSecret: true)
        if let key = c.masterKey, key.isEmpty { c.masterKey = nil }
        c.masterKeyFile = reader.string(forKey: .init(ConfigurationKey.masterKeyFile.name))
        if let path = c.masterKeyFile, path.isEmpty { c.masterKeyFile = nil }
        if let path = c.masterKeyFile {
            guard c.masterKey == nil else {
                return [(ConfigurationKey.masterKeyFile.name, "set either masterKey or masterKeyFile, not both")]
            }
            do {
                guard let keys = try MasterKeyFile.read(path, setting: .masterKeyFile) else {
                    return [(ConfigurationKey.masterKeyFile.name, "no such file: \(path)")]
                }
                c.masterKey = keys
            } catch let error as ConfigurationError {
                return error.problems
            } catch {
                return [(ConfigurationKey.masterKeyFile.name, "cannot read \(path)")]
            }
        } else if let key = c.masterKey {
            do { _ = try SecretVault(masterKeys: key) } catch {
                return [(ConfigurationKey.masterKey.name, error.description)]
            }
        }
        return []
    }
}
