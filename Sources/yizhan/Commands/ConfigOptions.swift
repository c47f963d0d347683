import ArgumentParser
import Configuration
import Foundation
import Logging
import YizhanServer

/// The options every command shares; flags win over `YIZHAN_*` variables and the config file.
struct ConfigOptions: ParsableArguments {
    @Option(name: .long, help: "A JSON or YAML configuration file.")
    var config: String?

    @Option(name: .long, help: "Address to listen on (YIZHAN_HOST; default 127.0.0.1).")
    var host: String?

    @Option(name: .long, help: "Port to listen on (YIZHAN_PORT; default 8080).")
    var port: Int?

    @Option(name: .customLong("data-dir"), help: "Directory for the SQLite database (YIZHAN_DATA_DIR; default ./yizhan-data).")
    var dataDirectory: String?

    @Option(name: .long, help: "all, api or worker (YIZHAN_ROLE; default all).")
    var role: String?

    @Option(name: .customLong("log-level"), help: "trace … critical (YIZHAN_LOG_LEVEL; default info).")
    var logLevel: String?

    @Option(name: .customLong("log-format"), help: "text or json (YIZHAN_LOG_FORMAT; default text).")
    var logFormat: String?

    /// The flags that were given, as configuration values.
    var flags: [ConfigurationKey: ConfigContent] {
        var flags: [ConfigurationKey: ConfigContent] = [:]
        if let host { flags[.host] = .string(host) }
        if let port { flags[.port] = .int(port) }
        if let dataDirectory { flags[.dataDirectory] = .string(dataDirectory) }
        if let role { flags[.role] = .string(role) }
        if let logLevel { flags[.logLevel] = .string(logLevel) }
        if let logFormat { flags[.logFormat] = .string(logFormat) }
        return flags
    }

    /// Loads the configuration, or prints why it is invalid and exits 2.
    func load(extra: [ConfigurationKey: ConfigContent] = [:]) async throws -> ConfigurationLoader.Loaded {
        do {
            return try await ConfigurationLoader.load(flags: flags.merging(extra) { _, new in new }, configFile: config)
        } catch {
            Terminal.fail("\(error)", code: 2)
        }
    }
}
