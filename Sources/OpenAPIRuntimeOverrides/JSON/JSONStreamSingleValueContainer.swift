/// Writes the one value of an encoder.
struct JSONStreamSingleValueContainer: SingleValueEncodingContainer {
    let encoder: JSONStreamEncoder
    var codingPath: [any CodingKey] { encoder.codingPath }
    private var writer: UnsafeMutablePointer<JSONStreamWriter> { encoder.stream.writer }

    mutating func encodeNil() throws { if encoder.claim() { writer.pointee.writeNull() } }
    mutating func encode(_ value: Bool) throws { if encoder.claim() { writer.pointee.writeBool(value) } }
    mutating func encode(_ value: String) throws { if encoder.claim() { writer.pointee.writeString(value) } }
    mutating func encode(_ value: Double) throws { try encodeFloat(value) }
    mutating func encode(_ value: Float) throws { try encodeFloat(value) }
    mutating func encode(_ value: Int) throws { encodeInteger(value) }
    mutating func encode(_ value: Int8) throws { encodeInteger(value) }
    mutating func encode(_ value: Int16) throws { encodeInteger(value) }
    mutating func encode(_ value: Int32) throws { encodeInteger(value) }
    mutating func encode(_ value: Int64) throws { encodeInteger(value) }
    mutating func encode(_ value: UInt) throws { encodeInteger(value) }
    mutating func encode(_ value: UInt8) throws { encodeInteger(value) }
    mutating func encode(_ value: UInt16) throws { encodeInteger(value) }
    mutating func encode(_ value: UInt32) throws { encodeInteger(value) }
    mutating func encode(_ value: UInt64) throws { encodeInteger(value) }

    /// A value with its own `encode(to:)` writes through this same encoder, as in Foundation.
    mutating func encode<T: Encodable>(_ value: T) throws {
        if try encoder.stream.writeSpecial(value, encoder: encoder) { return }
        try value.encode(to: encoder)
    }

    private func encodeInteger(_ value: some FixedWidthInteger) {
        if encoder.claim() { writer.pointee.writeInteger(value) }
    }

    private func encodeFloat<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F) throws {
        guard value.isFinite else { throw encoder.stream.nonConformingFloat(value, path: codingPath) }
        if encoder.claim() { writer.pointee.writeFloat(value) }
    }
}
