import ArgumentParser
import Configuration
import YizhanServer

/// `yizhan serve`: the API, workers and scheduler on the configured database.
struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run Yizhan (API and workers) until SIGTERM.")

    @OptionGroup var options: ConfigOptions

    @Flag(name: .customLong("no-migrate"), help: "Do not apply pending migrations at start.")
    var noMigrate = false

    func run() async throws {
        let loaded = try await options.load(extra: noMigrate ? [.migrateOnStart: .bool(false)] : [:])
        let configuration = loaded.configuration
        let loggers = LoggerFactory(format: configuration.logFormat, level: configuration.logLevel)
        loggers.bootstrapProcess()
        do {
            try await Server.run(configuration: configuration, logger: loggers.makeLogger(label: "yizhan"), logSink: loggers.sink)
            loggers.sink.flush()
        } catch {
            loggers.sink.flush()
            Terminal.fail(Terminal.explain(error, configuration: configuration))
        }
    }
}
