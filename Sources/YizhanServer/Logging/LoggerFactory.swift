import Logging

/// Makes loggers in the configured format and level.
public struct LoggerFactory: Sendable {
    public var format: YizhanConfiguration.LogFormat
    public var level: Logger.Level
    public var sink: JSONLogHandler.Sink

    public init(format: YizhanConfiguration.LogFormat, level: Logger.Level, sink: JSONLogHandler.Sink = .standardOutput) {
        self.format = format
        self.level = level
        self.sink = sink
    }

    /// A logger with `label`.
    public func makeLogger(label: String) -> Logger {
        var logger = Logger(label: label) { label in
            switch format {
            case .json: JSONLogHandler(label: label, level: level, sink: sink)
            case .text: StreamLogHandler.standardOutput(label: label)
            }
        }
        logger.logLevel = level
        return logger
    }

    /// Installs this format process-wide, so libraries' own loggers follow it too. Call once.
    public func bootstrapProcess() {
        let format = format, level = level, sink = sink
        LoggingSystem.bootstrap { label in
            var handler: any LogHandler =
                switch format {
                case .json: JSONLogHandler(label: label, level: level, sink: sink)
                case .text: StreamLogHandler.standardOutput(label: label)
                }
            handler.logLevel = level
            return handler
        }
    }
}
