import Foundation

/// Reads the encrypted value out of WeCom's callback envelopes.
enum WeComEnvelope {
    /// The text of the first `<name>` element, CDATA or plain, or `nil`.
    static func xmlElement(_ name: String, in xml: String) -> String? {
        let bytes = Array(xml.utf8)
        guard let open = find(Array("<\(name)>".utf8), in: bytes, from: 0),
            let close = find(Array("</\(name)>".utf8), in: bytes, from: open.upperBound)
        else { return nil }
        var content = bytes[open.upperBound..<close.lowerBound]
        while let first = content.first, isSpace(first) { content = content.dropFirst() }
        while let last = content.last, isSpace(last) { content = content.dropLast() }
        let cdataOpen = Array("<![CDATA[".utf8), cdataClose = Array("]]>".utf8)
        if content.starts(with: cdataOpen) {
            guard content.count >= cdataOpen.count + cdataClose.count, content.suffix(3).elementsEqual(cdataClose) else { return nil }
            content = content.dropFirst(cdataOpen.count).dropLast(cdataClose.count)
        }
        return String(decoding: content, as: UTF8.self)
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8], from start: Int) -> Range<Int>? {
        guard needle.count <= haystack.count else { return nil }
        var index = start
        while index + needle.count <= haystack.count {
            if haystack[index] == needle[0], haystack[index..<(index + needle.count)].elementsEqual(needle) {
                return index..<(index + needle.count)
            }
            index += 1
        }
        return nil
    }

    /// The `encrypt` string of a JSON envelope, or `nil`.
    static func jsonEncrypt(in body: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any] else { return nil }
        return object["encrypt"] as? String
    }
}
