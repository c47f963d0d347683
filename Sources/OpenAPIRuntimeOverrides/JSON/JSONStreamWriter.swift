#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import YizhanCore

/// The bytes written so far and the containers still open, for one ``CompactJSONEncoder/encode(_:)``.
///
/// Values are written as the `Encoder` API is called. Each open container is a frame; the value being
/// written inside a frame is its current member (a "slot", numbered so a stale encoder is noticed).
/// A container deeper than the one being written to belongs to a finished member and is closed
/// first. Anything a single pass cannot express — writing through a stale encoder or a closed
/// container, a key written twice, `superEncoder` — sets ``needsFoundation`` and the value is
/// encoded again by Foundation's `JSONEncoder`.
struct JSONStreamWriter {
    struct Frame {
        let serial: Int
        let isObject: Bool
        /// Members written so far.
        var count = 0
        /// The slot number of the current member, and whether it has written its value.
        var memberSlot = 0
        var memberWrote = false
        /// The key of the current member, kept only where a nested encoder may ask for its path.
        var memberKey: (any CodingKey)? = nil
        /// Where this object's keys start in `keys`; a set replaces the scan for large objects.
        let keysStart: Int
        var keySet: Set<String>? = nil
    }

    private(set) var bytes: [UInt8] = []
    private(set) var frames: [Frame] = []
    /// The keys of the open objects, outermost first.
    private var keys: [String] = []
    private var nextSerial = 0
    /// The top-level value's slot state.
    private var topWrote = false
    /// Set when the value used the Encoder API in a way that cannot be streamed.
    var needsFoundation = false
    let escapesSlashes: Bool

    init(escapesSlashes: Bool) {
        self.escapesSlashes = escapesSlashes
        bytes.reserveCapacity(512)
        frames.reserveCapacity(8)  // growing from empty would reallocate at every level
        keys.reserveCapacity(32)
    }

    // MARK: Slots

    /// The number of the slot at `depth` (the current member of `frames[depth - 1]`), if open.
    func slot(at depth: Int) -> Int? {
        if depth == 0 { return 0 }
        return depth <= frames.count ? frames[depth - 1].memberSlot : nil
    }

    /// Whether the slot at `depth` has written its value (a scalar or a container).
    func wrote(at depth: Int) -> Bool {
        depth == 0 ? topWrote : frames[depth - 1].memberWrote
    }

    /// Claims slot `slot` at `depth` for a value. False (and Foundation's turn) if the slot is stale
    /// or already holds a value.
    mutating func claim(depth: Int, slot: Int) -> Bool {
        guard self.slot(at: depth) == slot, !wrote(at: depth) else {
            needsFoundation = true
            return false
        }
        close(downTo: depth)
        if depth == 0 { topWrote = true } else { frames[depth - 1].memberWrote = true }
        return true
    }

    /// The container the slot at `depth` already opened, if it is still open and of this kind.
    mutating func reuseContainer(depth: Int, slot: Int, object: Bool) -> Int? {
        guard self.slot(at: depth) == slot, depth < frames.count, frames[depth].isObject == object else {
            needsFoundation = true
            return nil
        }
        return frames[depth].serial
    }

    /// The coding path of the slot at `depth`.
    func codingPath(depth: Int) -> [any CodingKey] {
        frames.prefix(depth).map { frame in
            frame.isObject ? frame.memberKey ?? JSONIndexKey(index: frame.count - 1) : JSONIndexKey(index: frame.count - 1)
        }
    }

    // MARK: Containers

    /// Writes `{` or `[` for the slot at `depth` (already claimed) and returns the container's serial.
    mutating func open(object: Bool, depth: Int) -> Int {
        bytes.append(object ? UInt8(ascii: "{") : UInt8(ascii: "["))
        nextSerial += 1
        frames.append(Frame(serial: nextSerial, isObject: object, keysStart: keys.count))
        return nextSerial
    }

    /// Closes every container at `depth` or deeper.
    mutating func close(downTo depth: Int) {
        while frames.count > depth {
            let frame = frames.removeLast()
            if frame.isObject {
                keys.removeSubrange(frame.keysStart...)
                bytes.append(UInt8(ascii: "}"))
            } else {
                bytes.append(UInt8(ascii: "]"))
            }
        }
    }

    /// Starts the member `key` of the object `serial` at `level`, returning the new slot's number;
    /// nil if that cannot be streamed (the caller then writes nothing).
    mutating func beginMember(level: Int, serial: Int, key: String) -> Int? {
        guard reopen(level: level, serial: serial) else { return nil }
        guard remember(key, level: level) else {
            needsFoundation = true  // Foundation keeps the last value of a repeated key
            return nil
        }
        let slot = beginSlot(level: level)
        writeString(key)
        bytes.append(UInt8(ascii: ":"))
        return slot
    }

    /// Starts the next element of the array `serial` at `level`; nil if that cannot be streamed.
    mutating func beginElement(level: Int, serial: Int) -> Int? {
        guard reopen(level: level, serial: serial) else { return nil }
        return beginSlot(level: level)
    }

    /// Records the key of the member just begun, for the coding path of its nested encoder.
    mutating func setMemberKey(_ key: any CodingKey, level: Int) {
        frames[level].memberKey = key
    }

    /// The number of members written to the container at `level`.
    func count(level: Int) -> Int { level < frames.count ? frames[level].count : 0 }

    /// Whether container `serial` at `level` is still open; deeper ones are closed on the way.
    private mutating func reopen(level: Int, serial: Int) -> Bool {
        guard level < frames.count, frames[level].serial == serial else {
            needsFoundation = true
            return false
        }
        close(downTo: level + 1)
        return true
    }

    private mutating func beginSlot(level: Int) -> Int {
        if frames[level].count > 0 { bytes.append(UInt8(ascii: ",")) }
        frames[level].count += 1
        nextSerial += 1
        frames[level].memberSlot = nextSerial
        frames[level].memberWrote = false
        return nextSerial
    }

    /// Records `key` for the object at `level`; false if it was written before.
    private mutating func remember(_ key: String, level: Int) -> Bool {
        if frames[level].keySet != nil { return frames[level].keySet!.insert(key).inserted }
        let start = frames[level].keysStart
        if keys[start...].contains(key) { return false }
        keys.append(key)
        if keys.count - start > 16 {
            frames[level].keySet = Set(keys[start...])
        }
        return true
    }

    // MARK: Scalars

    /// Appends text that needs no escaping (`{}`, a number).
    mutating func writeRaw(_ text: String) { bytes.append(contentsOf: text.utf8) }

    mutating func writeNull() { bytes.append(contentsOf: "null".utf8) }

    mutating func writeBool(_ value: Bool) { bytes.append(contentsOf: value ? "true".utf8 : "false".utf8) }

    mutating func writeInteger(_ value: some FixedWidthInteger) { bytes.append(contentsOf: value.description.utf8) }

    /// Shortest round-trip digits without a trailing `.0`, as Foundation writes them. Finite values
    /// only: the containers refuse infinity and NaN, which JSON cannot hold.
    mutating func writeFloat<F: BinaryFloatingPoint & LosslessStringConvertible>(_ value: F) {
        var text = value.description
        if text.hasSuffix(".0") { text.removeLast(2) }
        bytes.append(contentsOf: text.utf8)
    }

    /// A JSON string: quotes, `\"`, `\\`, the short escapes, `\u00XX` for other control characters
    /// and `\/` only when asked; everything else as UTF-8.
    mutating func writeString(_ value: String) {
        bytes.appendJSONString(value, escapingSlashes: escapesSlashes)
    }
}

/// The key of an array element in a coding path.
struct JSONIndexKey: CodingKey {
    let intValue: Int?
    var stringValue: String { "Index \(intValue ?? 0)" }

    init(index: Int) { intValue = index }
    init?(stringValue: String) { nil }
    init?(intValue: Int) { self.intValue = intValue }
}
