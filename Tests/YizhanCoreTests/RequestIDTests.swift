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
        #expect(ids.allSatisfy { $0.utf8.count == 32 && $0.allSatisfy { "0123456789abcdef".contains($0) } })
        // A per-process prefix and a scrambled counter: the first half is shared, the second is not.
        #expect(Set(ids.map { $0.prefix(16) }).count == 1)
        #expect(Set(ids.map { $0.suffix(16) }).count == 1000)
        // Every digit position varies across ids in the counter half (no digit stuck at zero).
        for position in 16..<32 {
            let digits = Set(ids.map { Array($0.utf8)[position] })
            #expect(digits.count > 8, "position \(position)")
        }
    }
}
