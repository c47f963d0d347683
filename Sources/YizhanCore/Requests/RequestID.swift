#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import Synchronization

/// Request ids: accepted from the caller when sane, generated otherwise.
public enum RequestID {
    /// The longest caller-supplied id that is accepted as is.
    public static let maximumLength = 128

    /// The id of the running request, if any; see ``RequestScope``.
    public static var current: String? { RequestScope.current?.requestID }

    /// Returns `candidate` if it is a usable id (1–128 visible ASCII characters, no spaces or
    /// quotes), otherwise a new random id.
    public static func accept(_ candidate: String?) -> String {
        if let candidate, isAcceptable(candidate) { return candidate }
        return generate()
    }

    /// A new id: 32 lower-case hex digits, unique across processes and unguessable enough for
    /// tracing (it is not a secret). A random per-process prefix plus a scrambled counter, so no
    /// system call is made per request.
    public static func generate() -> String {
        let sequence = counter.add(1, ordering: .relaxed).newValue
        let suffix = scramble(sequence ^ processSalt)
        return String(unsafeUninitializedCapacity: 32) { buffer in
            writeHex(processPrefix, into: buffer, at: 0)
            writeHex(suffix, into: buffer, at: 16)
            return 32
        }
    }

    private static let processPrefix = UInt64.random(in: .min ... .max)
    private static let processSalt = UInt64.random(in: .min ... .max)
    private static let counter = Atomic<UInt64>(0)

    /// SplitMix64's finaliser: a bijection, so distinct counters give distinct ids.
    private static func scramble(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9E37_79B9_7F4A_7C15
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    static func isAcceptable(_ candidate: String) -> Bool {
        guard !candidate.isEmpty, candidate.utf8.count <= maximumLength else { return false }
        return candidate.utf8.allSatisfy { byte in
            byte > 0x20 && byte < 0x7F && byte != UInt8(ascii: "\"") && byte != UInt8(ascii: "\\")
        }
    }

    /// The 16 lower-case hex digits of `value`, zero-padded, at `offset`.
    private static func writeHex(_ value: UInt64, into buffer: UnsafeMutableBufferPointer<UInt8>, at offset: Int) {
        for index in 0..<16 {
            let nibble = UInt8(truncatingIfNeeded: value >> (60 - 4 * index)) & 0xF
            buffer[offset + index] = nibble < 10 ? UInt8(ascii: "0") + nibble : UInt8(ascii: "a") + nibble - 10
        }
    }
}
