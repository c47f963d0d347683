import Foundation

/// Strict standard Base64 (RFC 4648 alphabet, `=` padding, no whitespace).
package enum Base64 {
    package static func encode(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString()
    }

    /// The decoded bytes, or `nil` for anything that is not canonical Base64.
    package static func decode(_ text: some StringProtocol) -> [UInt8]? {
        guard text.utf8.count % 4 == 0 else { return nil }
        guard let data = Data(base64Encoded: String(text)) else { return nil }
        return [UInt8](data)
    }
}
