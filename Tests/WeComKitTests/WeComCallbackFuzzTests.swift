import Testing
import WeComKit

/// Damaged and random callbacks: every input ends in a callback or a typed error, never a crash.
@Suite
struct WeComCallbackFuzzTests {
    static let seeds = [
        WeComCallbackTests.w1,
        WeComCallbackTests.callback(
            "<Event><![CDATA[template_card_event]]></Event><EventKey>k</EventKey><SelectedItems><SelectedItem><QuestionKey>q</QuestionKey>"
                + "<OptionIds><OptionId>o</OptionId></OptionIds></SelectedItem></SelectedItems>"),
        WeComCallbackTests.callback("<Event>change_contact</Event><ChangeType>update_tag</ChangeType><TagId>1</TagId><AddUserItems>a,b</AddUserItems>", from: "sys"),
    ]
    /// Pieces that are meaningful to an XML parser, so mutations reach its edge cases.
    static let pieces = ["<", ">", "&", "&amp;", "&#0;", "&#xFFFF;", "]]>", "<![CDATA[", "</xml>", "<xml>", "<!DOCTYPE x [<!ENTITY e \"e\">]>", "&e;", "\"", "<?xml version=\"1.0\"?>", "\u{0}", "字"]

    @Test
    func mutatedCallbacksAreReadOrRefusedWithATypedError() {
        var generator = SystemRandomNumberGenerator()
        var read = 0
        for round in 0..<3000 {
            var text = Array(Self.seeds[round % Self.seeds.count].unicodeScalars)
            for _ in 0..<Int.random(in: 1...4, using: &generator) {
                let at = Int.random(in: 0...text.count, using: &generator)
                switch Int.random(in: 0..<4, using: &generator) {
                case 0 where !text.isEmpty: text.remove(at: min(at, text.count - 1))
                case 1: text.insert(contentsOf: Self.pieces.randomElement(using: &generator)!.unicodeScalars, at: at)
                case 2: text.removeLast(Int.random(in: 0...text.count, using: &generator))
                default: text.insert(Unicode.Scalar(UInt8.random(in: 0...127, using: &generator)), at: at)
                }
            }
            do {
                let callback = try WeComCallback(xml: String(String.UnicodeScalarView(text)))
                _ = callback.dedupeKey
                read += 1
            } catch {
                #expect([.malformedXML, .missingField].contains(error.code))
            }
        }
        #expect(read > 0)  // some mutations leave a readable callback: the fuzzing reaches the typed paths
    }

    @Test
    func randomTextIsRefusedWithATypedError() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<1000 {
            let scalars = (0..<Int.random(in: 0...200, using: &generator)).compactMap { _ in
                Unicode.Scalar(UInt32.random(in: 0...0x2FFF, using: &generator))
            }
            #expect(throws: WeComCallbackError.self) { try WeComCallback(xml: String(String.UnicodeScalarView(scalars))) }
        }
    }
}
