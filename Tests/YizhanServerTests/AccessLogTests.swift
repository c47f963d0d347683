import Logging
import Testing
import YizhanCore

@testable import YizhanServer

/// The access line is written from its fields directly through a `LineLogHandler`; it must be the
/// line `Logger.info` writes for the same fields.
@Suite
struct AccessLogTests {
    static let paths = ["/health/live", "/a b", #"/q"uote\back"#, "/tab\there", "/ü/中文/😀", "/ctl\u{1}", ""]

    @Test(arguments: [YizhanConfiguration.LogFormat.text, .json])
    func directLineEqualsTheLoggersLine(format: YizhanConfiguration.LogFormat) {
        for path in Self.paths {
            let direct = LoggingTests.Captured()
            let throughLogger = LoggingTests.Captured()
            AccessLog(logger: LoggerFactory(format: format, level: .info, sink: direct.sink()).makeLogger(label: "yizhan"))
                .record(requestID: "req \"1\"", method: "GET", path: path, status: 404, duration: .microseconds(1_234_567))
            LoggerFactory(format: format, level: .info, sink: throughLogger.sink()).makeLogger(label: "yizhan").info(
                "request",
                metadata: [
                    "request_id": "req \"1\"", "method": "GET", "path": .string(path), "status": .stringConvertible(404),
                    "duration_ms": "1234.567",
                ])
            #expect(Self.withoutTimestamp(direct.text) == Self.withoutTimestamp(throughLogger.text), "path \(path)")
            #expect(direct.text.split(separator: "\n").count == 1)
        }
    }

    @Test
    func theLineHandlerWritesPresortedFieldsOnlyWhenNothingElseNeedsMerging() {
        let captured = LoggingTests.Captured()
        var handler = LineLogHandler(label: "yizhan", format: .text, sink: captured.sink())
        #expect(handler.logPresorted(level: .info, message: "request", fields: [("a", "1"), ("b", "2")]))
        #expect(captured.text.hasSuffix(" info yizhan: request a=1 b=2\n"))

        handler.metadata["component"] = "edge"
        #expect(!handler.logPresorted(level: .info, message: "request", fields: [("a", "1")]))
        let scoped = LineLogHandler(
            label: "yizhan", format: .text, metadataProvider: LoggerFactory.requestMetadata, sink: captured.sink())
        RequestScope.$current.withValue(RequestScope(requestID: "req-3")) {
            #expect(!scoped.logPresorted(level: .info, message: "request", fields: [("a", "1")]))
        }
        #expect(scoped.logPresorted(level: .info, message: "request", fields: [("a", "1")]))
        #expect(captured.text.split(separator: "\n").count == 2)
    }

    @Test
    func aLoggerWithItsOwnMetadataStillGetsTheAccessLineWithIt() {
        let captured = LoggingTests.Captured()
        var logger = LoggerFactory(format: .text, level: .info, sink: captured.sink()).makeLogger(label: "yizhan")
        logger[metadataKey: "instance"] = "api-1"
        AccessLog(logger: logger).record(requestID: "r1", method: "POST", path: "/x", status: 201, duration: .milliseconds(5))
        #expect(captured.text.hasSuffix(" info yizhan: request duration_ms=5.000 instance=api-1 method=POST path=/x request_id=r1 status=201\n"))
    }

    @Test
    func noAccessLineBelowTheLoggersLevel() {
        let captured = LoggingTests.Captured()
        let logger = LoggerFactory(format: .json, level: .warning, sink: captured.sink()).makeLogger(label: "yizhan")
        AccessLog(logger: logger).record(requestID: "r1", method: "GET", path: "/", status: 200, duration: .zero)
        #expect(captured.text.isEmpty)
    }

    @Test
    func durationsAreMillisecondsWithThreeDecimals() {
        #expect(AccessLog.milliseconds(.zero) == "0.000")
        #expect(AccessLog.milliseconds(.microseconds(7)) == "0.007")
        #expect(AccessLog.milliseconds(.microseconds(1_234_567)) == "1234.567")
        #expect(AccessLog.milliseconds(.seconds(2)) == "2000.000")
    }

    /// The line with its timestamp (text: the first word; JSON: the `timestamp` member) removed.
    static func withoutTimestamp(_ line: String) -> String {
        line.replacing(#/^\S+ /#, with: "").replacing(/"timestamp":"[^"]*",/, with: "")
    }
}
