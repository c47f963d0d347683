import Foundation
import Testing
import YizhanTesting

@testable import YizhanServer

/// Log values are escaped on the UTF-8 bytes; any string must come back from a JSON parser intact
/// and keep a text line on one line.
@Suite
struct LogLineBufferTests {
    /// Every ASCII character (controls included), and characters of two, three and four bytes.
    static func randomString(using generator: inout SplitMix64) -> String {
        let others: [Unicode.Scalar] = ["é", "驿", "站", "\u{2028}", "\u{FEFF}", "😀", "\u{10FFFF}"]
        var text = String.UnicodeScalarView()
        for _ in 0..<generator.next(upTo: 24) {
            if generator.next(upTo: 4) == 0 {
                text.append(others[generator.next(upTo: others.count)])
            } else {
                text.append(Unicode.Scalar(UInt8(generator.next(upTo: 0x80))))
            }
        }
        return String(text)
    }

    @Test
    func quotedValuesParseBackToTheSameString() throws {
        var generator = SplitMix64(seed: 0x10_6_1)
        for _ in 0..<2000 {
            let text = Self.randomString(using: &generator)
            var line = LogLineBuffer(capacity: 64)
            line.append("{\"v\":")
            line.appendQuoted(text)
            line.append("}")
            let object = try JSONDecoder().decode([String: String].self, from: Data(line.bytes))
            #expect(object["v"] == text, "\(text.debugDescription)")
        }
    }

    @Test
    func textValuesStayOnOneLineAndAreBareOnlyWhenThatIsUnambiguous() throws {
        var generator = SplitMix64(seed: 0x10_6_2)
        for _ in 0..<2000 {
            let text = Self.randomString(using: &generator)
            var line = LogLineBuffer(capacity: 64)
            line.appendBareOrQuoted(text)
            #expect(!line.bytes.contains { $0 < 0x20 }, "\(text.debugDescription)")
            let written = String(decoding: line.bytes, as: UTF8.self)
            if written.first == "\"" {
                let parsed = try JSONDecoder().decode(String.self, from: Data(line.bytes))
                #expect(parsed == text, "\(text.debugDescription)")
            } else {
                #expect(written == text)
                #expect(!text.isEmpty && !text.contains(" ") && !text.contains("=") && !text.contains("\""))
            }
        }
    }

    @Test
    func controlCharactersAreWrittenAsLowerCaseUnicodeEscapes() {
        var line = LogLineBuffer(capacity: 16)
        line.appendQuoted("\u{1}\u{1F}\t")
        #expect(String(decoding: line.bytes, as: UTF8.self) == #""\u0001\u001f\t""#)
    }
}
