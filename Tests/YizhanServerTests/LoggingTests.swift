import Foundation
import Logging
import Synchronization
import Testing
import YizhanCore
import YizhanServer

@Suite
struct LoggingTests {
    /// A sink that keeps what it is given.
    final class Captured: Sendable {
        let bytes = Mutex<[UInt8]>([])
        var text: String { String(decoding: bytes.withLock { $0 }, as: UTF8.self) }
        func sink(bufferLimit: Int = 0) -> LogSink {
            LogSink(bufferLimit: bufferLimit) { chunk in self.bytes.withLock { $0.append(contentsOf: chunk) } }
        }
    }

    @Test
    func jsonLinesAreValidJSONWithEscapedFieldsAndTheRequestID() throws {
        let captured = Captured()
        let logger = LoggerFactory(format: .json, level: .info, sink: captured.sink()).makeLogger(label: "yizhan")
        RequestScope.$current.withValue(RequestScope(requestID: "req-7")) {
            logger.info("said \"hi\"\nthere", metadata: ["path": "/a b", "count": .stringConvertible(3), "list": ["x", "y"]])
        }
        logger.debug("below the level")
        let lines = captured.text.split(separator: "\n")
        #expect(lines.count == 1)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(lines[0].utf8)) as? [String: Any])
        #expect(object["message"] as? String == "said \"hi\"\nthere")
        #expect(object["level"] as? String == "info")
        #expect(object["request_id"] as? String == "req-7")
        #expect(object["path"] as? String == "/a b")
        #expect(object["list"] as? [String] == ["x", "y"])
        let timestamp = try #require(object["timestamp"] as? String)
        #expect(timestamp.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil)
    }

    @Test
    func textLinesAreReadableAndQuoteValuesWithSpaces() {
        let captured = Captured()
        let logger = LoggerFactory(format: .text, level: .info, sink: captured.sink()).makeLogger(label: "yizhan")
        logger.info("request", metadata: ["method": "GET", "path": "/a b"])
        let line = captured.text
        #expect(line.hasSuffix(" info yizhan: request method=GET path=\"/a b\"\n"))
    }

    @Test
    func textValuesWithControlCharactersAreQuotedAndStayOnOneLine() {
        let captured = Captured()
        let logger = LoggerFactory(format: .text, level: .info, sink: captured.sink()).makeLogger(label: "yizhan")
        logger.info("request", metadata: ["agent": "a\tb", "note": "x\ny"])
        #expect(captured.text.hasSuffix(#" info yizhan: request agent="a\tb" note="x\ny""# + "\n"))
        #expect(captured.text.split(separator: "\n").count == 1)
    }

    @Test
    func eventMetadataOverridesTheProvidersWhichOverridesTheLoggers() throws {
        let captured = Captured()
        var logger = LoggerFactory(format: .json, level: .info, sink: captured.sink()).makeLogger(label: "yizhan")
        logger[metadataKey: "component"] = "logger"
        logger[metadataKey: "request_id"] = "from-logger"
        RequestScope.$current.withValue(RequestScope(requestID: "req-9")) {
            logger.info("one", metadata: ["component": "event"])
            logger.info("two")
        }
        let lines = captured.text.split(separator: "\n")
        #expect(lines.count == 2)
        let objects = try lines.map { try #require(try JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]) }
        #expect(objects[0]["component"] as? String == "event")
        #expect(objects[0]["request_id"] as? String == "req-9")
        #expect(objects[1]["component"] as? String == "logger")
        #expect(objects[1]["request_id"] as? String == "req-9")
    }

    @Test
    func bufferedLinesWaitForAFlushButErrorsGoAtOnce() {
        let captured = Captured()
        let sink = captured.sink(bufferLimit: 1 << 20)
        let logger = LoggerFactory(format: .text, level: .info, sink: sink).makeLogger(label: "yizhan")
        logger.info("first")
        #expect(captured.text.isEmpty)
        logger.error("second")
        let both = captured.text
        #expect(both.contains("first") && both.contains("second"))
        #expect(both.range(of: "first")!.lowerBound < both.range(of: "second")!.lowerBound)
        logger.info("third")
        #expect(!captured.text.contains("third"))
        sink.flush()
        #expect(captured.text.hasSuffix("third\n"))
    }
}
