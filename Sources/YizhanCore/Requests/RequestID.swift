#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Request ids: accepted from the caller when sane, generated otherwise.
public enum RequestID {
    /// The longest caller-supplied id that is accepted as is.
    public static let maximumLength = 128

    /// The id in scope for the running request, if any; set by the HTTP edge.
    @TaskLocal public static var current: String?

    /// Returns `candidate` if it is a usable id (1–128 visible ASCII characters, no spaces or
    /// quotes), otherwise a new random id.
    public static func accept(_ candidate: String?) -> String {
        if let candidate, isAcceptable(candidate) { return candidate }
        return generate()
    }

    /// A new random id: 32 lower-case hex digits.
    public static func generate() -> String {
        var generator = SystemRandomNumberGenerator()
        let high = generator.next() as UInt64
        let low = generator.next() as UInt64
        return hex(high) + hex(low)
    }

    static func isAcceptable(_ candidate: String) -> Bool {
        guard !candidate.isEmpty, candidate.utf8.count <= maximumLength else { return false }
        return candidate.utf8.allSatisfy { byte in
            byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
        }
    }

    private static func hex(_ value: UInt64) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
