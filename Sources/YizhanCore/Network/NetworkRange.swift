#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IPv4 or IPv6 network in CIDR notation (`10.0.0.0/8`, `fd00::/8`), or one address
/// (`127.0.0.1`, `::1`: the whole prefix), for allow-lists an operator writes.
package struct NetworkRange: Sendable, Hashable, CustomStringConvertible {
    /// The network's address bytes (4 or 16), with the bits past the prefix cleared.
    package let bytes: [UInt8]
    /// How many leading bits an address must share with ``bytes``.
    package let prefixLength: Int

    /// Parses `address` or `address/prefix`; nil when it is neither (a host name, a malformed
    /// address, a prefix longer than the address).
    package init?(_ text: String) {
        let parts = text.split(separator: "/", maxSplits: 1, omittingEmptySubsequences: false)
        guard let address = Self.addressBytes(String(parts[0])) else { return nil }
        let bits = address.count * 8
        var length = bits
        if parts.count == 2 {
            guard let given = Int(parts[1]), (0...bits).contains(given), parts[1].allSatisfy(\.isASCII) else { return nil }
            length = given
        }
        self.prefixLength = length
        self.bytes = Self.masked(address, to: length)
    }

    /// Whether `address` (an IP literal, IPv6 with or without brackets) lies in this network.
    /// A host name, or an address of the other family, does not.
    package func contains(_ address: String) -> Bool {
        guard let candidate = Self.addressBytes(address), candidate.count == bytes.count else { return false }
        return Self.masked(candidate, to: prefixLength) == bytes
    }

    package var description: String {
        let text: String
        if bytes.count == 4 {
            text = bytes.map(String.init).joined(separator: ".")
        } else {
            text = stride(from: 0, to: 16, by: 2).map { String(UInt16(bytes[$0]) << 8 | UInt16(bytes[$0 + 1]), radix: 16) }.joined(separator: ":")
        }
        return "\(text)/\(prefixLength)"
    }

    /// The bytes of an IPv4 (dotted quad) or IPv6 literal, nil for anything else. Only the
    /// canonical forms parse (`inet_pton`): `0x7f.1` or `2130706433` are not addresses here.
    package static func addressBytes(_ text: String) -> [UInt8]? {
        var literal = text
        if literal.hasPrefix("["), literal.hasSuffix("]") { literal = String(literal.dropFirst().dropLast()) }
        // inet_pton reads a C string: a NUL would end it early ("169.254.169.254\0.example").
        guard !literal.isEmpty, literal.allSatisfy({ $0.isHexDigit || $0 == "." || $0 == ":" }) else { return nil }
        var v4 = in_addr()
        if inet_pton(AF_INET, literal, &v4) == 1 {
            return withUnsafeBytes(of: &v4) { Array($0) }
        }
        var v6 = in6_addr()
        if inet_pton(AF_INET6, literal, &v6) == 1 {
            return withUnsafeBytes(of: &v6) { Array($0) }
        }
        return nil
    }

    private static func masked(_ address: [UInt8], to length: Int) -> [UInt8] {
        address.enumerated().map { index, byte in
            let kept = max(0, min(8, length - index * 8))
            return kept == 8 ? byte : byte & ~(UInt8.max >> kept)
        }
    }
}
