import Logging
import YizhanCore

/// Makes loggers in the configured format and level. Every line logged while a request is in
/// scope carries its `request_id`, through a metadata provider (nothing is copied per request).
package struct LoggerFactory: Sendable {
    package var format: YizhanConfiguration.LogFormat
    package var level: Logger.Level
    package var sink: LogSink

    package init(format: YizhanConfiguration.LogFormat, level: Logger.Level, sink: LogSink = .standardOutput) {
        self.format = format
        self.level = level
        self.sink = sink
    }

    /// Adds `request_id` from ``RequestID/current`` when a request is in scope.
    package static let requestMetadata = Logger.MetadataProvider {
        guard let id = RequestID.current else { return [:] }
        return ["request_id": .string(id)]
    }

    /// A logger with `label`.
    package func makeLogger(label: String) -> Logger {
        Logger(label: label) { label in makeHandler(label: label) }
    }

    /// Installs this format process-wide, so libraries' own loggers follow it too. Call once.
    package func bootstrapProcess() {
        let factory = self
        LoggingSystem.bootstrap { label in factory.makeHandler(label: label) }
    }

    private func makeHandler(label: String) -> LineLogHandler {
        LineLogHandler(label: label, format: format, level: level, metadataProvider: Self.requestMetadata, sink: sink)
    }
}
