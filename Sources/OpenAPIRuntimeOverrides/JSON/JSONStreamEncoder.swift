/// The `Encoder` handed to a value's `encode(to:)`: it writes the one JSON value of slot `slot` at
/// `depth` — a scalar, or the one container it opens.
///
/// A struct of three words, so passing it as `any Encoder` allocates nothing.
struct JSONStreamEncoder: Encoder {
    let stream: JSONStream
    /// How many containers enclose this value; a container it opens becomes `frames[depth]`.
    let depth: Int
    let slot: Int

    var codingPath: [any CodingKey] { stream.writer.pointee.codingPath(depth: depth) }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        KeyedEncodingContainer(JSONStreamKeyedContainer<Key>(stream: stream, level: depth, serial: containerSerial(object: true)))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        JSONStreamUnkeyedContainer(stream: stream, level: depth, serial: containerSerial(object: false))
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        JSONStreamSingleValueContainer(encoder: self)
    }

    /// Claims the slot for a scalar; false if it cannot be streamed.
    func claim() -> Bool { stream.writer.pointee.claim(depth: depth, slot: slot) }

    /// The serial of this value's container: opened now, or the one opened before (a type and its
    /// superclass both asking for the keyed container). -1 if neither can be streamed.
    private func containerSerial(object: Bool) -> Int {
        let writer = stream.writer
        if writer.pointee.slot(at: depth) == slot, writer.pointee.wrote(at: depth) {
            return writer.pointee.reuseContainer(depth: depth, slot: slot, object: object) ?? -1
        }
        guard claim() else { return -1 }
        return writer.pointee.open(object: object, depth: depth)
    }
}
