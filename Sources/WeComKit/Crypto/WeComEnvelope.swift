import Foundation

/// Reads the encrypted value out of WeCom's callback envelopes.
enum WeComEnvelope {
    /// The text of the `<xml>` root's `<name>` child, CDATA or plain, without surrounding
    /// whitespace; nil when the body is not well-formed XML with that root and child.
    static func xmlElement(_ name: String, in xml: String) -> String? {
        WeComXMLNode.root(of: Data(xml.utf8))?.child(name)?.text.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// The `encrypt` string of a JSON envelope, or `nil`.
    static func jsonEncrypt(in body: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return nil }
        return object["encrypt"] as? String
    }
}
