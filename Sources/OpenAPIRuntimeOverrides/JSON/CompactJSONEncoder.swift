#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Encodes `Encodable` values as compact JSON, writing bytes as the value's `encode(to:)` runs.
///
/// The output is byte for byte what Foundation's `JSONEncoder` writes with `.withoutEscapingSlashes`
/// (or with no options when ``escapesSlashes`` is set) and the given date encoding: keys in the order
/// the value encodes them, numbers as Foundation formats them, the same string escapes, `Date`,
/// `Data` (base64), `URL` and `Decimal` written by value. It costs a fraction of `JSONEncoder`,
/// which builds a tree of the value and casts every member dynamically.
///
/// A value that uses the `Encoder` API in a way a single pass cannot write — a container written to
/// after a later sibling, a key written twice, `superEncoder()` — is encoded by `JSONEncoder`
/// instead, so the result is always Foundation's.
package struct CompactJSONEncoder: Sendable {
    /// Writes `/` as `\/`, as `JSONEncoder` does unless told `.withoutEscapingSlashes`.
    package var escapesSlashes: Bool
    /// How a `Date` is written, as a JSON string.
    package var dateEncoding: @Sendable (Date) throws -> String

    /// - Parameters:
    ///   - escapesSlashes: write `/` as `\/` (default: no).
    ///   - dateEncoding: a `Date` as a string (default: ISO 8601 in UTC, to the second).
    package init(
        escapesSlashes: Bool = false,
        dateEncoding: @escaping @Sendable (Date) throws -> String = { $0.formatted(.iso8601) }
    ) {
        self.escapesSlashes = escapesSlashes
        self.dateEncoding = dateEncoding
    }

    /// `value` as JSON, UTF-8.
    package func encode<T: Encodable>(_ value: T) throws -> [UInt8] {
        let stream = JSONStream(escapesSlashes: escapesSlashes, dateEncoding: dateEncoding)
        try stream.encode(value, depth: 0, slot: 0)
        if !stream.writer.pointee.needsFoundation { return stream.writer.pointee.bytes }
        return Array(try foundationEncoder.encode(value))
    }

    /// The encoder that writes what this one cannot stream, with the same settings.
    private var foundationEncoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = escapesSlashes ? [] : [.withoutEscapingSlashes]
        let dateEncoding = dateEncoding
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(dateEncoding(date))
        }
        return encoder
    }
}
