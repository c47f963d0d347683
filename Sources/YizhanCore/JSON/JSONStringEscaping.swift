extension Array where Element == UInt8 {
    /// Appends `value` as a JSON string literal: quotes, backslashes and control characters escaped
    /// (the short forms where JSON has them, `\u00XX` otherwise), and `/` when `escapingSlashes`.
    /// Bytes of multi-byte UTF-8 sequences are all ≥ 0x80 and pass as they are. Runs of bytes that
    /// need no escape are copied at once.
    package mutating func appendJSONString(_ value: String, escapingSlashes: Bool = false) {
        append(UInt8(ascii: "\""))
        var value = value
        value.withUTF8 { utf8 in
            var runStart = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == 0x22 || byte == 0x5C || (byte == 0x2F && escapingSlashes) else { continue }
                append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                runStart = index + 1
                appendJSONEscape(for: byte)
            }
            append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart...]))
        }
        append(UInt8(ascii: "\""))
    }

    private mutating func appendJSONEscape(for byte: UInt8) {
        append(UInt8(ascii: "\\"))
        switch byte {
        case 0x22, 0x5C, 0x2F: append(byte)
        case 0x08: append(UInt8(ascii: "b"))
        case 0x0C: append(UInt8(ascii: "f"))
        case 0x0A: append(UInt8(ascii: "n"))
        case 0x0D: append(UInt8(ascii: "r"))
        case 0x09: append(UInt8(ascii: "t"))
        default:
            append(contentsOf: "u00".utf8)
            append(JSONHexDigits.lowercase[Int(byte >> 4)])
            append(JSONHexDigits.lowercase[Int(byte & 0xF)])
        }
    }
}

private enum JSONHexDigits {
    static let lowercase = Array("0123456789abcdef".utf8)
}
