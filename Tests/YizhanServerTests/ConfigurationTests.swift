import Configuration
import Foundation
import Testing
import YizhanCredentials
import YizhanServer

@Suite
struct ConfigurationTests {
    @Test
    func defaultsServeSQLiteOnLoopback8080() async throws {
        let loaded = try await ConfigurationLoader.load(environment: [:])
        let configuration = loaded.configuration
        #expect(configuration.host == "127.0.0.1")
        #expect(configuration.port == 8080)
        #expect(configuration.sqlitePath == "./yizhan-data/yizhan.sqlite")
        #expect(configuration.databaseURL == nil)
        #expect(configuration.role == .all)
        #expect(loaded.sources["port"] == "default")
    }

    @Test
    func flagsBeatEnvironmentWhichBeatsTheFileWhichBeatsDefaults() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("yizhan-\(UUID()).yaml")
        try "port: 7000\nhost: 0.0.0.0\nlog:\n  format: json\ndataDir: /from/file\n".write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let loaded = try await ConfigurationLoader.load(
            flags: [.port: .int(9000)],
            configFile: file.path,
            environment: ["YIZHAN_PORT": "8000", "YIZHAN_HOST": "10.0.0.1", "YIZHAN_DATABASE_POOL_SIZE": "3"]
        )
        #expect(loaded.configuration.port == 9000)
        #expect(loaded.configuration.host == "10.0.0.1")
        #expect(loaded.configuration.logFormat == .json)
        #expect(loaded.configuration.dataDirectory == "/from/file")
        #expect(loaded.configuration.databasePoolSize == 3)
        #expect(loaded.sources["port"] == "flag")
        #expect(loaded.sources["host"] == "environment")
        #expect(loaded.sources["log.format"] == "file")
    }

    @Test
    func jsonFilesAreReadToo() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("yizhan-\(UUID()).json")
        try #"{"role": "api", "http": {"maxBodyBytes": 4096}}"#.write(to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let configuration = try await ConfigurationLoader.load(configFile: file.path, environment: [:]).configuration
        #expect(configuration.role == .api)
        #expect(configuration.maxBodyBytes == 4096)
    }

    @Test(arguments: [
        ("YIZHAN_PORT", "abc", "port"), ("YIZHAN_PORT", "70000", "port"), ("YIZHAN_ROLE", "boss", "role"),
        ("YIZHAN_LOG_FORMAT", "xml", "log.format"), ("YIZHAN_DATABASE_URL", "mysql://x@y/z", "database.url"),
        ("YIZHAN_DATABASE_POOL_SIZE", "0", "database.poolSize"),
        ("YIZHAN_PROVIDERS_ALLOWED_HOSTS", "127.0.0.1,http://sandbox.test", "providers.allowedHosts"),
    ])
    func badValuesAreRejectedNamingTheKey(variable: String, value: String, key: String) async throws {
        let error = try await #require(throws: ConfigurationError.self) {
            try await ConfigurationLoader.load(environment: [variable: value])
        }
        #expect(error.problems.contains { $0.key == key })
    }

    @Test
    func fractionalSecondsBecomeExactDurations() async throws {
        let configuration = try await ConfigurationLoader.load(environment: [
            "YIZHAN_SHUTDOWN_GRACE_PERIOD_SECONDS": "2.5",
            "YIZHAN_DATABASE_ACQUIRE_TIMEOUT_SECONDS": "0.25",
            "YIZHAN_DATABASE_CONNECT_TIMEOUT_SECONDS": "7",
        ]).configuration
        #expect(configuration.shutdownGracePeriod == .milliseconds(2500))
        #expect(configuration.databaseAcquireTimeout == .milliseconds(250))
        #expect(configuration.databaseConnectTimeout == .seconds(7))
    }

    @Test
    func theDatabasePasswordIsRedacted() async throws {
        let configuration = try await ConfigurationLoader.load(
            environment: [
                "YIZHAN_DATABASE_URL": "postgres://yz:hunter2secret@db:5432/yizhan", "YIZHAN_MASTER_KEY": testMasterKey,
                "YIZHAN_METRICS_TOKEN": "metrics-token-not-shown",
            ]
        ).configuration
        let printed = configuration.redactedEntries.map(\.value).joined(separator: "\n")
        #expect(!printed.contains(testMasterKey))
        #expect(!printed.contains("metrics-token-not-shown"))
        #expect(printed.contains("postgres://yz:***@db:5432/yizhan"))
        #expect(!printed.contains("hunter2secret"))
    }

    @Test
    func environmentVariableNamesFollowTheKeys() {
        #expect(ConfigurationKey.databasePoolSize.environmentVariable == "YIZHAN_DATABASE_POOL_SIZE")
        #expect(ConfigurationKey.dataDirectory.environmentVariable == "YIZHAN_DATA_DIR")
        #expect(ConfigurationKey.maxBodyBytes.environmentVariable == "YIZHAN_HTTP_MAX_BODY_BYTES")
    }

    @Test
    func postgresNeedsAMasterKeyOrConfiguredSigningKeys() async throws {
        let url = "postgres://yz:pw@db:5432/yizhan"
        do {
            _ = try await ConfigurationLoader.load(environment: ["YIZHAN_DATABASE_URL": url])
            Issue.record("PostgreSQL without a master key or JWT keys was accepted")
        } catch let error as ConfigurationError {
            #expect(error.problems.map(\.key) == ["masterKey"])
        }
        _ = try await ConfigurationLoader.load(environment: [
            "YIZHAN_DATABASE_URL": url, "YIZHAN_AUTH_JWT_KEYS": "k1:\(String(repeating: "s", count: 40))",
        ])
        do {
            _ = try await ConfigurationLoader.load(environment: ["YIZHAN_MASTER_KEY": "c2hvcnQ="])
            Issue.record("a 5-byte master key was accepted")
        } catch let error as ConfigurationError {
            #expect(error.problems.map(\.key) == ["masterKey"])
            #expect(!error.description.contains("c2hvcnQ="))
        }
    }

    @Test
    func appsMayCallOnlyThePublicAPIsUnlessTheOperatorAllowsMore() async throws {
        let defaults = try await ConfigurationLoader.load(environment: [:]).configuration
        #expect(defaults.providerEgress.allowed.isEmpty)
        let configured = try await ConfigurationLoader.load(
            environment: ["YIZHAN_PROVIDERS_ALLOWED_HOSTS": "127.0.0.1, *.corp.example ,10.8.0.0/16"]).configuration
        #expect(configured.providerEgress.description == "127.0.0.1/32,*.corp.example,10.8.0.0/16")
        #expect(configured.providerEgress.refusal(of: "http://lark.corp.example", provider: .lark) == nil)
        #expect(configured.redactedEntries.contains { $0.key == .providersAllowedHosts && $0.value == "127.0.0.1/32,*.corp.example,10.8.0.0/16" })
    }
}
