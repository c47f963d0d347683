/// Writes the elements of one JSON array as they come.
struct JSONStreamUnkeyedContainer: UnkeyedEncodingContainer {
    let stream: JSONStream
    /// The array's index in the writer's frames.
    let level: Int
    /// The array's serial; -1 for a container that could not be opened (it writes nothing).
    let serial: Int

    var codingPath: [any CodingKey] { writer.pointee.codingPath(depth: level) }
    var count: Int { writer.pointee.count(level: level) }
    private var writer: UnsafeMutablePointer<JSONStreamWriter> { stream.writer }

    /// Starts the next element; nil if it cannot be streamed.
    private func begin() -> Int? { writer.pointee.beginElement(level: level, serial: serial) }

    mutating func encodeNil() throws { if begin() != nil { writer.pointee.writeNull() } }
    mutating func encode(_ value: Bool) throws { if begin() != nil { writer.pointee.writeBool(value) } }
    mutating func encode(_ value: String) throws { if begin() != nil { writer.pointee.writeString(value) } }
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

    mutating func encode<T: Encodable>(_ value: T) throws {
        guard let slot = begin() else { return }
        try stream.encode(value, depth: level + 1, slot: slot)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(JSONStreamKeyedContainer<NestedKey>(stream: stream, level: level + 1, serial: openNested(object: true)))
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        JSONStreamUnkeyedContainer(stream: stream, level: level + 1, serial: openNested(object: false))
    }

    mutating func superEncoder() -> any Encoder { stream.unstreamableEncoder() }

    private func encodeInteger(_ value: some FixedWidthInteger) {
        if begin() != nil { writer.pointee.writeInteger(value) }
    }

    private func encodeFloat<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F) throws {
        guard value.isFinite else { throw stream.nonConformingFloat(value, path: codingPath + [JSONIndexKey(index: count)]) }
        if begin() != nil { writer.pointee.writeFloat(value) }
    }

    /// A new element holding a container; its serial, or -1 if it cannot be streamed.
    private func openNested(object: Bool) -> Int {
        guard let slot = begin(), writer.pointee.claim(depth: level + 1, slot: slot) else { return -1 }
        return writer.pointee.open(object: object, depth: level + 1)
    }
}
