/// Writes the members of one JSON object as they come.
struct JSONStreamKeyedContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let stream: JSONStream
    /// The object's index in the writer's frames.
    let level: Int
    /// The object's serial; -1 for a container that could not be opened (it writes nothing).
    let serial: Int

    var codingPath: [any CodingKey] { writer.pointee.codingPath(depth: level) }
    private var writer: UnsafeMutablePointer<JSONStreamWriter> { stream.writer }

    /// Starts member `key`; nil if it cannot be streamed.
    private func begin(_ key: Key) -> Int? {
        writer.pointee.beginMember(level: level, serial: serial, key: key.stringValue)
    }

    mutating func encodeNil(forKey key: Key) throws { if begin(key) != nil { writer.pointee.writeNull() } }
    mutating func encode(_ value: Bool, forKey key: Key) throws { if begin(key) != nil { writer.pointee.writeBool(value) } }
    mutating func encode(_ value: String, forKey key: Key) throws {
        if begin(key) != nil { writer.pointee.writeString(value) }
    }
    mutating func encode(_ value: Double, forKey key: Key) throws { try encodeFloat(value, forKey: key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { try encodeFloat(value, forKey: key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { encodeInteger(value, forKey: key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { encodeInteger(value, forKey: key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { encodeInteger(value, forKey: key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { encodeInteger(value, forKey: key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { encodeInteger(value, forKey: key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { encodeInteger(value, forKey: key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { encodeInteger(value, forKey: key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { encodeInteger(value, forKey: key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { encodeInteger(value, forKey: key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { encodeInteger(value, forKey: key) }

    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        guard let slot = begin(key) else { return }
        writer.pointee.setMemberKey(key, level: level)
        try stream.encode(value, depth: level + 1, slot: slot)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(
        keyedBy keyType: NestedKey.Type, forKey key: Key
    ) -> KeyedEncodingContainer<NestedKey> {
        KeyedEncodingContainer(
            JSONStreamKeyedContainer<NestedKey>(stream: stream, level: level + 1, serial: openNested(object: true, forKey: key)))
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        JSONStreamUnkeyedContainer(stream: stream, level: level + 1, serial: openNested(object: false, forKey: key))
    }

    mutating func superEncoder() -> any Encoder { stream.unstreamableEncoder() }
    mutating func superEncoder(forKey key: Key) -> any Encoder { stream.unstreamableEncoder() }

    private func encodeInteger(_ value: some FixedWidthInteger, forKey key: Key) {
        if begin(key) != nil { writer.pointee.writeInteger(value) }
    }

    private func encodeFloat<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F, forKey key: Key) throws {
        guard value.isFinite else { throw stream.nonConformingFloat(value, path: codingPath + [key]) }
        if begin(key) != nil { writer.pointee.writeFloat(value) }
    }

    /// Member `key` holding a new container; its serial, or -1 if it cannot be streamed.
    private func openNested(object: Bool, forKey key: Key) -> Int {
        guard let slot = begin(key), writer.pointee.claim(depth: level + 1, slot: slot) else { return -1 }
        writer.pointee.setMemberKey(key, level: level)
        return writer.pointee.open(object: object, depth: level + 1)
    }
}
