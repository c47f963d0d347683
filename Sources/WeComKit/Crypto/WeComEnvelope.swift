import Foundation

/// Reads the encrypted value out of WeCom's callback envelopes.
enum WeComEnvelope {
    /// The text of the first `<name>` element, CDATA or plain, or `nil`.
    static func xmlElement(_ name: String, in xml: String) -> String? {
        guard let open = xml.range(of: "<\(name)>"),
            let close = xml.range(of: "</\(name)>", range: open.upperBound..<xml.endIndex)
        else { return nil }
        var content = xml[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespacesAndNewlines)[...]
        if content.hasPrefix("<![CDATA[") {
            guard content.hasSuffix("]]>") else { return nil }
            content = content.dropFirst(9).dropLast(3)
        }
        return String(content)
    }

    /// The `encrypt` string of a JSON envelope, or `nil`.
    static func jsonEncrypt(in body: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return nil }
        return object["encrypt"] as? String
    }
}
