#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One encoding pass: the ``JSONStreamWriter`` every encoder and container of the value shares.
///
/// The writer lives behind a pointer, not in a stored property: every write is a mutation, and
/// through a class property each would pay Swift's dynamic exclusivity check (a third of the time).
/// The pointer is owned here and not shared beyond the pass.
final class JSONStream {
    let writer: UnsafeMutablePointer<JSONStreamWriter>
    let dateEncoding: @Sendable (Date) throws -> String

    init(escapesSlashes: Bool, dateEncoding: @escaping @Sendable (Date) throws -> String) {
        writer = .allocate(capacity: 1)
        writer.initialize(to: JSONStreamWriter(escapesSlashes: escapesSlashes))
        self.dateEncoding = dateEncoding
    }

    deinit {
        writer.deinitialize(count: 1)
        writer.deallocate()
    }

    /// Writes `value` into slot `slot` at `depth`, which the caller has begun.
    func encode<T: Encodable>(_ value: T, depth: Int, slot: Int) throws {
        let encoder = JSONStreamEncoder(stream: self, depth: depth, slot: slot)
        if try writeSpecial(value, encoder: encoder) { return }
        try value.encode(to: encoder)
        // A value that wrote nothing is `{}`, as in Foundation; its containers are complete.
        if writer.pointee.slot(at: depth) == slot {
            if !writer.pointee.wrote(at: depth), writer.pointee.claim(depth: depth, slot: slot) {
                writer.pointee.writeRaw("{}")
            }
            writer.pointee.close(downTo: depth)
        }
    }

    /// Foundation's JSONEncoder writes `Date`, `Data`, `URL` and `Decimal` by value rather than
    /// through their `Encodable` conformance; so does this stream. True if `value` was one of them.
    func writeSpecial<T: Encodable>(_ value: T, encoder: JSONStreamEncoder) throws -> Bool {
        let text: String
        if T.self == Date.self {
            text = try dateEncoding(value as! Date)
        } else if T.self == Data.self {
            text = (value as! Data).base64EncodedString()
        } else if T.self == URL.self {
            text = (value as! URL).absoluteString
        } else if T.self == Decimal.self {
            guard encoder.claim() else { return true }
            writer.pointee.writeRaw((value as! Decimal).description)
            return true
        } else {
            return false
        }
        if encoder.claim() { writer.pointee.writeString(text) }
        return true
    }

    /// The error Foundation gives for a float JSON cannot hold.
    func nonConformingFloat<F: BinaryFloatingPoint>(_ value: F, path: [any CodingKey]) -> EncodingError {
        EncodingError.invalidValue(
            value, .init(codingPath: path, debugDescription: "Unable to encode \(F.self).\(value) directly in JSON."))
    }

    /// For `superEncoder()`: an encoder writing into a scratch stream, and this value handed to
    /// Foundation.
    func unstreamableEncoder() -> JSONStreamEncoder {
        writer.pointee.needsFoundation = true
        let scratch = JSONStream(escapesSlashes: writer.pointee.escapesSlashes, dateEncoding: dateEncoding)
        return JSONStreamEncoder(stream: scratch, depth: 0, slot: 0)
    }
}
