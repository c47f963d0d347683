import Foundation
import Logging

/// Writes one line per event, readable (`text`) or one JSON object (`json`), into a ``LogSink``.
///
/// Text: `2026-11-23T10:00:00.123Z info yizhan: request method=GET status=200`.
/// JSON: `{"timestamp":…,"level":"info","label":"yizhan","message":"request","method":"GET",…}`.
package struct LineLogHandler: LogHandler {
    package var metadata: Logger.Metadata = [:]
    package var logLevel: Logger.Level
    package var metadataProvider: Logger.MetadataProvider?
    private let label: String
    private let format: YizhanConfiguration.LogFormat
    private let sink: LogSink

    package init(
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

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
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
        var line = LogLineBuffer(capacity: 256)
        switch format {
        case .json:
            line.append("{\"timestamp\":\"")
            LogTimestamp.append(to: &line)
            line.append("\",\"level\":\"")
            line.append(level.rawValue)
            line.append("\",\"label\":")
            line.appendQuoted(label)
            line.append(",\"message\":")
            line.appendQuoted(message)
            for (key, value) in fields {
                line.append(ascii: UInt8(ascii: ","))
                line.appendQuoted(key)
                line.append(ascii: UInt8(ascii: ":"))
                Self.appendJSON(value, to: &line)
            }
            line.append("}\n")
        case .text:
            LogTimestamp.append(to: &line)
            line.append(ascii: UInt8(ascii: " "))
            line.append(level.rawValue)
            line.append(ascii: UInt8(ascii: " "))
            line.append(label)
            line.append(": ")
            line.append(message)
            for (key, value) in fields {
                line.append(ascii: UInt8(ascii: " "))
                line.append(key)
                line.append(ascii: UInt8(ascii: "="))
                line.appendBareOrQuoted(value.description)
            }
            line.append(ascii: UInt8(ascii: "\n"))
        }
        sink.emit(line.bytes, urgent: level >= .error)
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

    private static func appendJSON(_ value: Logger.Metadata.Value, to line: inout LogLineBuffer) {
        switch value {
        case .string(let string): line.appendQuoted(string)
        case .stringConvertible(let convertible): line.appendQuoted(convertible.description)
        case .array(let values):
            line.append(ascii: UInt8(ascii: "["))
            for (index, element) in values.enumerated() {
                if index > 0 { line.append(ascii: UInt8(ascii: ",")) }
                appendJSON(element, to: &line)
            }
            line.append(ascii: UInt8(ascii: "]"))
        case .dictionary(let dictionary):
            line.append(ascii: UInt8(ascii: "{"))
            for (index, (key, element)) in dictionary.sorted(by: { $0.key < $1.key }).enumerated() {
                if index > 0 { line.append(ascii: UInt8(ascii: ",")) }
                line.appendQuoted(key)
                line.append(ascii: UInt8(ascii: ":"))
                appendJSON(element, to: &line)
            }
            line.append(ascii: UInt8(ascii: "}"))
        }
    }
}
