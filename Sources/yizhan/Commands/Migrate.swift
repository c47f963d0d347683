import ArgumentParser
import YizhanServer

/// `yizhan migrate`: applies pending migrations and exits.
struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Apply pending database migrations.")

    @OptionGroup var options: ConfigOptions

    func run() async throws {
        let configuration = try await options.load().configuration
        let loggers = LoggerFactory(format: configuration.logFormat, level: configuration.logLevel)
        loggers.bootstrapProcess()
        do {
            let applied = try await Server.migrate(configuration: configuration, logger: loggers.makeLogger(label: "yizhan"))
            loggers.sink.flush()
            print(applied.isEmpty ? "The database is up to date." : "Applied migrations \(applied.map(String.init).joined(separator: ", ")).")
        } catch {
            loggers.sink.flush()
            Terminal.fail(Terminal.explain(error, configuration: configuration))
        }
    }
}
