import Logging
import YizhanCore

/// Makes loggers in the configured format and level. Every line logged while a request is in
/// scope carries its `request_id`, through a metadata provider (nothing is copied per request).
public struct LoggerFactory: Sendable {
    public var format: YizhanConfiguration.LogFormat
    public var level: Logger.Level
    public var sink: LogSink

    public init(format: YizhanConfiguration.LogFormat, level: Logger.Level, sink: LogSink = .standardOutput) {
        self.format = format
        self.level = level
        self.sink = sink
    }

    /// Adds `request_id` from ``RequestID/current`` when a request is in scope.
    public static let requestMetadata = Logger.MetadataProvider {
        guard let id = RequestID.current else { return [:] }
        return ["request_id": .string(id)]
    }

    /// A logger with `label`.
    public func makeLogger(label: String) -> Logger {
        Logger(label: label) { label in makeHandler(label: label) }
    }

    /// Installs this format process-wide, so libraries' own loggers follow it too. Call once.
    public func bootstrapProcess() {
        let factory = self
        LoggingSystem.bootstrap { label in factory.makeHandler(label: label) }
    }

    private func makeHandler(label: String) -> LineLogHandler {
        LineLogHandler(label: label, format: format, level: level, metadataProvider: Self.requestMetadata, sink: sink)
    }
}
