import Logging

/// The one line per request: `request` with `duration_ms`, `method`, `path`, `request_id` and
/// `status`, at `info`.
///
/// Through a ``LineLogHandler`` the line is written from its fields directly, in key order, with
/// no metadata dictionary built, merged and sorted per request; through any other handler, or when
/// the logger carries metadata of its own, it goes through `Logger.info` as any line does. Either
/// way the line is the same (a test compares them).
struct AccessLog: Sendable {
    private let logger: Logger
    private let lineHandler: LineLogHandler?

    init(logger: Logger) {
        self.logger = logger
        self.lineHandler = logger.handler as? LineLogHandler
    }

    func record(requestID: String, method: String, path: String, status: Int, duration: Duration) {
        guard logger.logLevel <= .info else { return }
        let fields: [Logger.Metadata.Element] = [  // in key order
            ("duration_ms", .string(Self.milliseconds(duration))),
            ("method", .string(method)),
            ("path", .string(path)),
            ("request_id", .string(requestID)),
            ("status", .string(String(status))),
        ]
        if let lineHandler, lineHandler.logPresorted(level: .info, message: "request", fields: fields) { return }
        logger.info("request", metadata: Logger.Metadata(uniqueKeysWithValues: fields))
    }

    /// `12.345`: milliseconds with three decimals.
    static func milliseconds(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        let microseconds = seconds * 1_000_000 + attoseconds / 1_000_000_000_000
        let fraction = String(microseconds % 1000)
        return "\(microseconds / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
    }
}
