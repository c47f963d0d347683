/// A DingTalk custom robot registered with the sandbox, with the security settings a robot can
/// have in any combination: a signing secret, custom keywords and an IP allowlist.
struct DingTalkSandboxRobot: Sendable, Codable {
    var accessToken: String
    var secret: String?
    /// Every message must contain at least one of these (in its text, title or content).
    var keywords: [String]?
    /// Addresses (`10.0.0.7`) or IPv4 ranges (`10.0.0.0/24`) a send may come from.
    var ipAllowlist: [String]?

    enum CodingKeys: String, CodingKey {
        case secret, keywords
        case accessToken = "access_token"
        case ipAllowlist = "ip_allowlist"
    }

    /// Whether a send from `peer` passes the IP allowlist (always, without one). An unknown peer
    /// (the routes called without a server) does not.
    func allows(peer: String?) -> Bool {
        guard let allowlist = ipAllowlist, !allowlist.isEmpty else { return true }
        guard let peer else { return false }
        return allowlist.contains { entry in
            guard let slash = entry.firstIndex(of: "/") else { return entry == peer }
            guard let prefix = Int(entry[entry.index(after: slash)...]), (0...32).contains(prefix),
                let network = Self.ipv4(entry[..<slash]), let address = Self.ipv4(peer)
            else { return false }
            let mask: UInt32 = prefix == 0 ? 0 : ~0 << (32 - prefix)
            return network & mask == address & mask
        }
    }

    /// Whether the message object (`text`, `markdown`, …) passes the keyword setting (always,
    /// without one): some keyword appears in its shown text (`content`, `title`, `text`,
    /// `singleTitle`, and the titles of buttons and feed links). UNCERTAIN: which fields DingTalk
    /// searches is not documented; links are not searched.
    func admitsContent(of message: Any?) -> Bool {
        guard let keywords, !keywords.isEmpty else { return true }
        var shown: [String] = []
        func collect(_ value: Any?) {
            if let object = value as? [String: Any] {
                for (key, value) in object {
                    if ["content", "title", "text", "singleTitle"].contains(key), let text = value as? String {
                        shown.append(text)
                    } else {
                        collect(value)
                    }
                }
            } else if let list = value as? [Any] {
                list.forEach(collect)
            }
        }
        collect(message)
        return keywords.contains { keyword in shown.contains { $0.contains(keyword) } }
    }

    private static func ipv4(_ text: some StringProtocol) -> UInt32? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false).compactMap { UInt8($0) }
        guard parts.count == 4 else { return nil }
        return parts.reduce(0) { $0 << 8 | UInt32($1) }
    }
}
