import Foundation
import Testing
import YizhanAPI
import YizhanTesting

/// The API's date-time reader and writer: every RFC 3339 form a client writes reads back as the same
/// instant, what Yizhan writes is unchanged, and no input crashes it.
@Suite
struct RFC3339DateTranscoderTests {
    let transcoder = RFC3339DateTranscoder()

    /// `milliseconds` since 1970 as RFC 3339 at `offset` seconds from UTC, with 0, 3 or 6
    /// fractional digits.
    func text(milliseconds: Int, offset: Int, digits: Int) -> String {
        let date = Date(timeIntervalSince1970: Double(milliseconds / 1000))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: offset)!
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        var text = "\(c.year!)-\(two(c.month!))-\(two(c.day!))T\(two(c.hour!)):\(two(c.minute!)):\(two(c.second!))"
        if digits > 0 {
            let fraction = String(milliseconds % 1000)
            text += "." + String(repeating: "0", count: 3 - fraction.count) + fraction + String(repeating: "0", count: digits - 3)
        }
        if offset == 0 { return text + "Z" }
        let minutes = abs(offset) / 60
        return text + (offset < 0 ? "-" : "+") + two(minutes / 60) + ":" + two(minutes % 60)
    }

    @Test
    func everyFormAClientWritesReadsBackAsTheSameInstant() throws {
        var random = SplitMix64(seed: 20_261_202)
        for _ in 0..<2_000 {
            // Whole milliseconds from 1970 to 2200, at any offset within ±18:00 (Foundation's limit) in whole minutes.
            let milliseconds = random.next(upTo: 7_258_118_400_000)
            let offset = (random.next(upTo: 2 * 1080 + 1) - 1080) * 60
            for digits in [0, 3, 6] {
                let written = text(milliseconds: milliseconds, offset: offset, digits: digits)
                let read = try transcoder.decode(written)
                let expected = Double(digits == 0 ? milliseconds / 1000 * 1000 : milliseconds) / 1000
                #expect(abs(read.timeIntervalSince1970 - expected) < 0.000_5, "\(written)")
            }
        }
    }

    @Test
    func whatYizhanWritesIsWholeSecondsInUTCAndReadsBack() throws {
        var random = SplitMix64(seed: 7)
        for _ in 0..<500 {
            let seconds = random.next(upTo: 7_258_118_400)
            let date = Date(timeIntervalSince1970: Double(seconds))
            let written = try transcoder.encode(date)
            #expect(written == text(milliseconds: seconds * 1000, offset: 0, digits: 0))
            #expect(try transcoder.decode(written) == date)
        }
        #expect(try transcoder.encode(Date(timeIntervalSince1970: 1.75)) == "1970-01-01T00:00:01Z")
    }

    @Test(arguments: [
        ("2024-02-29T00:00:00Z", 1_709_164_800.0), ("2026-12-02t13:06:12z", 1_796_216_772), ("1969-12-31T23:59:59.5Z", -0.5),
        ("2026-12-02T13:06:12.000000001-00:00", 1_796_216_772), ("2016-12-31T23:59:60Z", 1_483_228_800),
        ("2026-12-02T23:59:59-23:59", 1_796_342_339),
    ])
    func edgesOfTheGrammarReadAsTheirInstant(text: String, seconds: Double) throws {
        #expect(abs(try transcoder.decode(text).timeIntervalSince1970 - seconds) < 0.000_001)
    }

    @Test(arguments: [
        "", "tomorrow", "2026-02-29T00:00:00Z", "2026-12-02 13:06:12Z", "2026-12-02T13:06:12.+08:00", "２026-12-02T13:06:12Z", "2026-12-02", "2026-12-02T13:06", "2026-12-02T13:06:12", "2026-13-02T13:06:12Z",
        "2026-12-32T13:06:12Z", "2026-12-02T24:06:12Z", "2026-12-02T13:60:12Z", "2026-12-02T13:06:12.Z",
        "2026-12-02T13:06:12+25:00", "1796216772", "2026-12-02T13:06:12Z trailing",
    ])
    func malformedDateTimesAreRefusedWithTheText(text: String) {
        #expect(throws: InvalidDateTime.self) { try transcoder.decode(text) }
        do {
            _ = try transcoder.decode(text)
        } catch {
            #expect("\(error)".hasPrefix("'\(text)' must be an RFC 3339 date-time"))
        }
    }

    @Test
    func mutatedDateTimesAreReadOrRefusedButNeverCrash() {
        var random = SplitMix64(seed: 99)
        let seeds = ["2026-12-02T13:06:12Z", "2026-12-02T13:06:12.345Z", "2026-12-02T21:06:12.345678+08:00"]
        let alphabet = Array("0123456789-:.TZtz+ \u{0}é".unicodeScalars)
        var refused = 0
        for _ in 0..<5_000 {
            var scalars = Array(seeds[random.next(upTo: seeds.count)].unicodeScalars)
            for _ in 0...random.next(upTo: 3) {
                let position = random.next(upTo: scalars.count + 1)
                let scalar = alphabet[random.next(upTo: alphabet.count)]
                switch random.next(upTo: 3) {
                case 0 where position < scalars.count: scalars[position] = scalar
                case 1 where position < scalars.count: scalars.remove(at: position)
                default: scalars.insert(scalar, at: position)
                }
            }
            var mutated = ""
            mutated.unicodeScalars.append(contentsOf: scalars)
            do {
                _ = try transcoder.decode(mutated)
            } catch {
                #expect(error is InvalidDateTime)
                refused += 1
            }
        }
        #expect(refused > 2_500)  // most mutations break the form
    }
}
