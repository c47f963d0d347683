import Foundation
import Logging

/// Writes one line per event, readable (`text`) or one JSON object (`json`), into a ``LogSink``.
///
/// Text: `2026-11-23T10:00:00.123Z info yizhan: request method=GET status=200`.
/// JSON: `{"timestamp":…,"level":"info","label":"yizhan","message":"request","method":"GET",…}`.
public struct LineLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    public var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let format: YizhanConfiguration.LogFormat
    private let sink: LogSink

    public init(
        label: String,
        format: YizhanConfiguration.LogFormat,
        level: Logger.Level = .info,
        metadataProvider: Logger.MetadataProvider? = nil,
        sink: LogSink = .standardOutput
    ) {
        self.label = label
        self.format = format
        self.logLevel = level
        self.metadataProvider = metadataProvider
        self.sink = sink
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        let fields = mergedMetadata(event.metadata).sorted { $0.key < $1.key }
        write(level: event.level, message: event.message.description, fields: fields)
    }

    /// Writes the line `log(event:)` would write for an event with `fields` as its metadata, when
    /// neither this handler nor its metadata provider adds any: then no dictionary is built, merged
    /// or sorted. The access line of every request comes this way.
    /// - Parameter fields: the fields, already in key order, keys unique.
    /// - Returns: `false`, having written nothing, when there is other metadata to merge; the
    ///   caller logs through the `Logger` then.
    func logPresorted(level: Logger.Level, message: String, fields: [Logger.Metadata.Element]) -> Bool {
        guard metadata.isEmpty, metadataProvider?.get().isEmpty ?? true else { return false }
        assert(zip(fields, fields.dropFirst()).allSatisfy { $0.key < $1.key }, "fields must be sorted by key")
        write(level: level, message: message, fields: fields)
        return true
    }

    private func write(level: Logger.Level, message: String, fields: [Logger.Metadata.Element]) {
        var line = ""
        line.reserveCapacity(192)
        switch format {
        case .json:
            line += "{\"timestamp\":\""
            LogTimestamp.append(to: &line)
            line += "\",\"level\":\""
            line += level.rawValue
            line += "\",\"label\":"
            Self.appendQuoted(label, to: &line)
            line += ",\"message\":"
            Self.appendQuoted(message, to: &line)
            for (key, value) in fields {
                line += ","
                Self.appendQuoted(key, to: &line)
                line += ":"
                Self.appendJSON(value, to: &line)
            }
            line += "}\n"
        case .text:
            LogTimestamp.append(to: &line)
            line += " "
            line += level.rawValue
            line += " "
            line += label
            line += ": "
            line += message
            for (key, value) in fields {
                line += " "
                line += key
                line += "="
                Self.appendText(value, to: &line)
            }
            line += "\n"
        }
        sink.emit(line, urgent: level >= .error)
    }

    /// The handler's metadata, then the provider's, then the event's; later keys win. Copies a
    /// dictionary only when more than one source has entries (the access line has one).
    private func mergedMetadata(_ event: Logger.Metadata?) -> Logger.Metadata {
        var merged = metadata
        if let provided = metadataProvider?.get(), !provided.isEmpty {
            if merged.isEmpty { merged = provided } else { merged.merge(provided) { _, new in new } }
        }
        if let event, !event.isEmpty {
            if merged.isEmpty { return event }
            merged.merge(event) { _, new in new }
        }
        return merged
    }

    private static func appendText(_ value: Logger.Metadata.Value, to line: inout String) {
        let text = value.description
        let needsQuotes = text.utf8.contains { byte in
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "=") || byte < 0x20
        }
        if text.isEmpty || needsQuotes {
            appendQuoted(text, to: &line)
        } else {
            line += text
        }
    }

    private static func appendJSON(_ value: Logger.Metadata.Value, to line: inout String) {
        switch value {
        case .string(let string): appendQuoted(string, to: &line)
        case .stringConvertible(let convertible): appendQuoted(convertible.description, to: &line)
        case .array(let values):
            line += "["
            for (index, element) in values.enumerated() {
                if index > 0 { line += "," }
                appendJSON(element, to: &line)
            }
            line += "]"
        case .dictionary(let dictionary):
            line += "{"
            for (index, (key, element)) in dictionary.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { line += "," }
                appendQuoted(key, to: &line)
                line += ":"
                appendJSON(element, to: &line)
            }
            line += "}"
        }
    }

    /// Appends `text` as a JSON string literal.
    static func appendQuoted(_ text: String, to line: inout String) {
        line += "\""
        defer { line += "\"" }
        if !text.utf8.contains(where: { $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\\") || $0 < 0x20 }) {
            line += text  // the common case: nothing to escape
            return
        }
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
    }
}
