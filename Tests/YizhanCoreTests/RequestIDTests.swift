import Testing
import YizhanCore

@Suite
struct RequestIDTests {
    @Test(arguments: ["abc-123", "req_01HZX", String(repeating: "a", count: 128)])
    func saneCallerIDsAreKept(candidate: String) {
        #expect(RequestID.accept(candidate) == candidate)
    }

    @Test(arguments: ["", "has space", "quote\"d", String(repeating: "a", count: 129), "中文", "line\nbreak"])
    func unusableCallerIDsAreReplaced(candidate: String) {
        let accepted = RequestID.accept(candidate)
        #expect(accepted != candidate)
        #expect(accepted.count == 32)
    }

    @Test
    func generatedIDsAreUniqueHex() {
        let ids = Set((0..<1000).map { _ in RequestID.generate() })
        #expect(ids.count == 1000)
        #expect(ids.allSatisfy { $0.count == 32 && $0.allSatisfy(\.isHexDigit) })
    }
}
