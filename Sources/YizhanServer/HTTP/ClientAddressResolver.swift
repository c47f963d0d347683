/// Which address a request came from: the socket's peer, or — when that peer is a trusted reverse
/// proxy — the nearest untrusted address in `X-Forwarded-For`.
///
/// Only proxies listed in `http.trustedProxies` are believed: anyone else could write any
/// `X-Forwarded-For` and dodge the per-address login throttle or forge the audit log's address.
struct ClientAddressResolver: Sendable {
    let trustedProxies: Set<String>

    /// The client's address for a connection from `peer` with these `X-Forwarded-For` values.
    func resolve(peer: String?, forwardedFor: String?) -> String? {
        guard let peer, trustedProxies.contains(peer), let forwardedFor else { return peer }
        // Each proxy appends the address it received from; read from the right, skipping our own.
        let hops = forwardedFor.split(separator: ",").compactMap { $0.trimmingSpacesAndTabs() }
        for hop in hops.reversed() where !trustedProxies.contains(hop) {
            return Self.isPlausibleAddress(hop) ? hop : peer
        }
        return hops.first ?? peer
    }

    /// An IPv4 or IPv6 literal's characters only, of sane length (not a hostname, not a payload).
    private static func isPlausibleAddress(_ text: String) -> Bool {
        (2...45).contains(text.utf8.count)
            && text.utf8.allSatisfy { byte in
                (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: ".")
                    || byte == UInt8(ascii: ":") || (byte | 0x20 >= UInt8(ascii: "a") && byte | 0x20 <= UInt8(ascii: "f"))
            }
    }
}
