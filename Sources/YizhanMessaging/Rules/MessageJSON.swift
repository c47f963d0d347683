import Foundation
import YizhanCore

/// JSON text of stored values: keys sorted, so the same request always reads the same (its hash is
/// the idempotency check).
package enum MessageJSON {
    static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()

    /// `value` as compact JSON with sorted keys.
    package static func text(_ value: some Encodable) -> String {
        // Encoding JSONValue and string maps cannot fail.
        String(decoding: (try? encoder.encode(value)) ?? Data("null".utf8), as: UTF8.self)
    }

    /// The stored JSON `text` decoded as `T`.
    static func decode<T: Decodable>(_ type: T.Type, _ text: String) throws -> T {
        try JSONDecoder().decode(type, from: Data(text.utf8))
    }
}
