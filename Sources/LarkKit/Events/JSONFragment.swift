import Foundation

/// Any JSON value, kept as its JSON text (objects with sorted keys), so a callback's free-form
/// `value` or `form_value` survives decoding whatever its shape.
struct JSONFragment: Decodable {
    let json: String

    init(from decoder: any Decoder) throws {
        let value = try Self.value(decoder.singleValueContainer())
        json = String(
            decoding: (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed, .sortedKeys])) ?? Data("null".utf8),
            as: UTF8.self)
    }

    /// The value as Foundation's JSON objects (strings, numbers, booleans, null, arrays, dictionaries).
    private static func value(_ container: any SingleValueDecodingContainer) throws -> Any {
        if container.decodeNil() { return NSNull() }
        if let bool = try? container.decode(Bool.self) { return bool }
        if let integer = try? container.decode(Int64.self) { return integer }
        if let number = try? container.decode(Double.self) { return number }
        if let string = try? container.decode(String.self) { return string }
        if let array = try? container.decode([Nested].self) { return array.map(\.value) }
        if let object = try? container.decode([String: Nested].self) { return object.mapValues(\.value) }
        return NSNull()
    }

    private struct Nested: Decodable {
        let value: Any
        init(from decoder: any Decoder) throws { value = try JSONFragment.value(decoder.singleValueContainer()) }
    }
}
