/// Byte helpers the provider kits share.
package enum Bytes {
    // Concrete byte types, not generics: these run per callback and are called from other
    // modules, where an unspecialised generic would cost more than the crypto itself.

    /// Lower-case hex of `bytes`.
    package static func hex(_ bytes: UnsafeRawBufferPointer) -> String {
        String(unsafeUninitializedCapacity: bytes.count * 2) { out in
            for (index, byte) in bytes.enumerated() {
                out[index * 2] = hexDigit(byte >> 4)
                out[index * 2 + 1] = hexDigit(byte & 0x0F)
            }
            return bytes.count * 2
        }
    }

    /// Lower-case hex of `bytes`.
    package static func hex(_ bytes: [UInt8]) -> String {
        bytes.withUnsafeBytes { hex($0) }
    }

    private static func hexDigit(_ nibble: UInt8) -> UInt8 {
        nibble < 10 ? nibble + UInt8(ascii: "0") : nibble - 10 + UInt8(ascii: "a")
    }

    /// Compares in time that depends only on the lengths, so signatures cannot be guessed byte by byte.
    package static func constantTimeEqual(_ lhs: ArraySlice<UInt8>, _ rhs: ArraySlice<UInt8>) -> Bool {
        guard lhs.count == rhs.count else { return false }
        var difference: UInt8 = 0
        var left = lhs.startIndex, right = rhs.startIndex
        while left < lhs.endIndex {
            difference |= lhs[left] ^ rhs[right]
            left += 1
            right += 1
        }
        return difference == 0
    }

    /// Compares two strings' UTF-8 in constant time (for hex signatures).
    package static func constantTimeEqual(_ lhs: String, _ rhs: String) -> Bool {
        constantTimeEqual(Array(lhs.utf8)[...], Array(rhs.utf8)[...])
    }

    /// Big-endian bytes of a 32-bit value.
    package static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xFF), UInt8((value >> 8) & 0xFF), UInt8(value & 0xFF)]
    }

    /// `count` random bytes from the system generator.
    package static func random(_ count: Int) -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<count).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
    }
}
