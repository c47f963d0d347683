import Foundation
import SWXMLHash

/// One element of a decrypted WeCom callback: its name, its own text (CDATA or plain) and its
/// child elements.
///
/// The XML is read with SWXMLHash rather than XMLCoder: a callback is a tagged union whose shape
/// is known only after `MsgType`, `Event` and `ChangeType` are read, and an event this kit does
/// not model must keep every field. A tree that can be walked by name does both in one parse;
/// Codable would need a type per shape chosen up front, and drops the elements it does not name.
/// Both sit on Foundation's `XMLParser` (libxml2), which resolves no external entities; it does
/// expand internal ones, so a document type declaration (which WeCom never sends) is refused before
/// parsing: no entity can be declared, let alone expanded a billion times.
struct WeComXMLNode: Sendable, Equatable {
    var name: String
    var text: String
    var children: [WeComXMLNode]

    /// The `<xml>` root of `data`, or nil when `data` is not well-formed XML with that root.
    static func root(of data: Data) -> WeComXMLNode? {
        guard !Self.declaresDocumentType(data) else { return nil }
        let parsed = XMLHash.config { $0.detectParsingErrors = true }.parse(data)
        guard case .element(let document) = parsed else { return nil }
        let roots = document.children.compactMap { $0 as? SWXMLHash.XMLElement }
        guard roots.count == 1, let root = roots.first, root.name == "xml" else { return nil }
        return WeComXMLNode(root)
    }

    /// Whether a markup declaration (`<!DOCTYPE`, `<!ENTITY`, …) comes before the root element: a
    /// callback has none, and one could declare entities. (A message's own text, inside the root,
    /// may say anything.)
    static func declaresDocumentType(_ data: Data) -> Bool {
        let prolog = data.range(of: Data("<xml".utf8)).map { data[..<$0.lowerBound] } ?? data[...]
        return prolog.range(of: Data("<!".utf8)) != nil
    }

    private init(_ element: SWXMLHash.XMLElement) {
        name = element.name
        text = element.text
        children = element.children.compactMap { ($0 as? SWXMLHash.XMLElement).map(WeComXMLNode.init) }
    }

    /// The first child element called `name`.
    func child(_ name: String) -> WeComXMLNode? {
        children.first { $0.name == name }
    }

    /// Every child element called `name`, in order.
    func children(_ name: String) -> [WeComXMLNode] {
        children.filter { $0.name == name }
    }

    /// Every element without child elements, by its dotted path below this one
    /// (`ScanCodeInfo.ScanResult`); a path met again gets `#2`, `#3`, … in document order.
    var leaves: [String: String] {
        var leaves: [String: String] = [:]
        var seen: [String: Int] = [:]
        func visit(_ node: WeComXMLNode, path: String) {
            guard !node.children.isEmpty else {
                seen[path, default: 0] += 1
                let count = seen[path]!
                leaves[count == 1 ? path : "\(path)#\(count)"] = node.text
                return
            }
            for child in node.children { visit(child, path: path + "." + child.name) }
        }
        for child in children { visit(child, path: child.name) }
        return leaves
    }
}
