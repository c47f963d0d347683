import Foundation

/// Small JSON values kept in `TEXT` columns (role lists, permission sets, audit details), the same
/// way on both engines.
enum StoredJSON {
    static func encode(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    static func decode<Value: Decodable>(_ type: Value.Type, from text: String) throws -> Value {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }

    /// A stored permission list; names this binary no longer knows are dropped, never granted.
    static func permissions(from text: String) throws -> Set<Permission> {
        Set(try decode([String].self, from: text).compactMap(Permission.init(rawValue:)))
    }

    static func encode(permissions: Set<Permission>) -> String {
        encode(permissions.map(\.rawValue).sorted())
    }
}

/// A `LIKE` pattern matching `text` anywhere, with `%`, `_` and `\` escaped (use `ESCAPE '\'`).
func containsPattern(_ text: String) -> String {
    var escaped = ""
    for character in text.lowercased() {
        if character == "%" || character == "_" || character == "\\" { escaped.append("\\") }
        escaped.append(character)
    }
    return "%" + escaped + "%"
}
