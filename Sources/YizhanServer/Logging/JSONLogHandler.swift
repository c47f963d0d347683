import Foundation
import Logging
import Synchronization

/// Writes one JSON object per line: `{"timestamp":…,"level":…,"label":…,"message":…, metadata…}`.
public struct JSONLogHandler: LogHandler {
    /// Where lines go; shared by every handler of a process so lines never interleave.
    public final class Sink: Sendable {
        private let write: @Sendable (String) -> Void
        private let lock = Mutex(())

        /// A sink that calls `write` with each complete line (newline included).
        public init(write: @escaping @Sendable (String) -> Void) {
            self.write = write
        }

        /// Standard output.
        public static let standardOutput = Sink { line in
            FileHandle.standardOutput.write(Data(line.utf8))
        }

        func emit(_ line: String) {
            lock.withLock { _ in write(line) }
        }
    }

    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let sink: Sink

    public init(label: String, level: Logger.Level = .info, sink: Sink = .standardOutput) {
        self.label = label
        self.logLevel = level
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let extra = event.metadata { merged.merge(extra) { _, new in new } }
        var line = "{\"timestamp\":\"\(Date().formatted(.iso8601.time(includingFractionalSeconds: true)))\""
        line += ",\"level\":\"\(event.level.rawValue)\",\"label\":"
        Self.appendQuoted(label, to: &line)
        line += ",\"message\":"
        Self.appendQuoted(event.message.description, to: &line)
        for (key, value) in merged.sorted(by: { $0.key < $1.key }) {
            line += ","
            Self.appendQuoted(key, to: &line)
            line += ":"
            Self.append(value, to: &line)
        }
        line += "}\n"
        sink.emit(line)
    }

    private static func append(_ value: Logger.Metadata.Value, to line: inout String) {
        switch value {
        case .string(let string): appendQuoted(string, to: &line)
        case .stringConvertible(let convertible): appendQuoted(convertible.description, to: &line)
        case .array(let values):
            line += "["
            for (index, element) in values.enumerated() {
                if index > 0 { line += "," }
                append(element, to: &line)
            }
            line += "]"
        case .dictionary(let dictionary):
            line += "{"
            for (index, (key, element)) in dictionary.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { line += "," }
                appendQuoted(key, to: &line)
                line += ":"
                append(element, to: &line)
            }
            line += "}"
        }
    }

    /// Appends `text` as a JSON string literal.
    static func appendQuoted(_ text: String, to line: inout String) {
        line += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": line += "\\\""
            case "\\": line += "\\\\"
            case "\n": line += "\\n"
            case "\r": line += "\\r"
            case "\t": line += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                line += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: line.unicodeScalars.append(scalar)
            }
        }
        line += "\""
    }
}
