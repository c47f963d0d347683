import YizhanCore

/// The UTF-8 bytes of one log line as it is built: text appended as is, values quoted and escaped
/// as JSON string literals, or left bare when the text format allows.
///
/// Bytes rather than a `String`: every append to a `String` re-checks its encoding and storage,
/// and a line is some thirty appends.
struct LogLineBuffer {
    private(set) var bytes: [UInt8] = []

    init(capacity: Int) {
        bytes.reserveCapacity(capacity)
    }

    mutating func append(_ text: String) {
        bytes.append(contentsOf: text.utf8)
    }

    mutating func append(ascii byte: UInt8) {
        bytes.append(byte)
    }

    /// `text` as a JSON string literal, escaped as the API's JSON bodies are.
    mutating func appendQuoted(_ text: String) {
        bytes.appendJSONString(text)
    }

    /// `text` bare when it is one word without quotes, `=` or control characters; quoted otherwise,
    /// so a text line stays one line of `key=value` pairs.
    mutating func appendBareOrQuoted(_ text: String) {
        let needsQuotes = text.isEmpty || text.utf8.contains { byte in
            byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "=") || byte < 0x20
        }
        if needsQuotes { appendQuoted(text) } else { append(text) }
    }
}
