import Foundation
import YizhanCore
import YizhanIdentity

/// Where an app's provider calls may go: its provider's public API over https, and the hosts an
/// operator allows (`providers.allowedHosts`) over http or https. Anything else is refused, when an
/// app is registered or moved and again before each provider call, so a tenant cannot point an
/// app's `base_url` at the metadata service, the loopback interface or the private network behind
/// Yizhan and have Yizhan send requests — and the app's secret — there.
///
/// An operator entry is a host name (`open.feishu-private.corp.example`), a wildcard over a
/// domain's subdomains (`*.corp.example`), an IP address or a CIDR network (`10.20.0.0/16`, `::1`).
/// A host name matches by name only: what it resolves to is the operator's DNS.
package struct ProviderEgressPolicy: Sendable, CustomStringConvertible {
    /// One allowed host, network or domain.
    package enum Entry: Sendable, Hashable, CustomStringConvertible {
        case host(String)
        case subdomains(of: String)
        case network(NetworkRange)

        /// Parses an operator's entry; nil when it is none of the forms.
        init?(_ text: String) {
            let entry = text.lowercased()
            if let range = NetworkRange(entry) {
                self = .network(range)
            } else if entry.hasPrefix("*."), ProviderEgressPolicy.isHostName(String(entry.dropFirst(2))) {
                self = .subdomains(of: String(entry.dropFirst(2)))
            } else if ProviderEgressPolicy.isHostName(entry) {
                self = .host(entry)
            } else {
                return nil
            }
        }

        func matches(_ host: String) -> Bool {
            switch self {
            case .host(let name): host == name
            case .subdomains(let domain): host.hasSuffix("." + domain)
            case .network(let range): range.contains(host)
            }
        }

        package var description: String {
            switch self {
            case .host(let name): name
            case .subdomains(let domain): "*." + domain
            case .network(let range): range.description
            }
        }
    }

    /// What the operator allows beside the providers' public APIs.
    package let allowed: [Entry]

    /// Only the providers' public APIs.
    package static let publicOnly = ProviderEgressPolicy(entries: [])

    package init(entries: [Entry]) { self.allowed = entries }

    /// Parses the operator's comma-separated list.
    /// - Throws: A message naming the first entry that is not a host, `*.domain`, address or network.
    package init(allowedHosts: [String]) throws(EntryError) {
        var entries: [Entry] = []
        for text in allowedHosts.map({ $0.trimmingCharacters(in: .whitespaces) }) where !text.isEmpty {
            guard let entry = Entry(text) else { throw EntryError(entry: text) }
            entries.append(entry)
        }
        self.init(entries: entries)
    }

    /// An operator's entry that is not a host, `*.domain`, address or network.
    package struct EntryError: Error, CustomStringConvertible {
        package let entry: String
        package var description: String {
            "'\(entry)' is not a host name, *.domain, IP address or CIDR network"
        }
    }

    /// The public API hosts of `provider`, reached over https whatever the operator allows.
    static func publicHosts(of provider: AppProvider) -> Set<String> {
        switch provider {
        case .lark, .larkMarketplace, .larkBot: ["open.feishu.cn", "open.larksuite.com"]
        case .wecom, .wecomRobot: ["qyapi.weixin.qq.com"]
        case .dingtalkRobot: ["oapi.dingtalk.com"]
        }
    }

    /// Refuses a `url` an app of `provider` may not send to, by rule (422), naming `field`.
    package func check(_ url: String, provider: AppProvider, field: String = "base_url") throws(YizhanError) {
        guard let refusal = refusal(of: url, provider: provider) else { return }
        throw InputRules.invalid(field, refusal, status: 422)
    }

    /// Why an app of `provider` may not send to `url`, nil when it may.
    package func refusal(of url: String, provider: AppProvider) -> String? {
        guard let parts = URLComponents(string: url), let scheme = parts.scheme?.lowercased(), let rawHost = parts.host else {
            return "must be an http(s) URL"
        }
        var host = rawHost.lowercased()
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        if host.hasSuffix(".") { host.removeLast() }
        // Only a plain name or an IP literal: a percent-encoded or zone-scoped host means whatever
        // the resolver makes of it.
        guard Self.isHostName(host) || NetworkRange.addressBytes(host) != nil else {
            return "must name its host with letters, digits, hyphens and dots, or an IP address"
        }
        if allowed.contains(where: { $0.matches(host) }) { return nil }
        let hosts = Self.publicHosts(of: provider)
        if hosts.contains(host) {
            return scheme == "https" ? nil : "must use https for \(host)"
        }
        return "names host \(host), which is neither the \(provider.rawValue) public API (\(hosts.sorted().joined(separator: ", "))) "
            + "nor a host the operator allows (providers.allowedHosts)"
    }

    package var description: String {
        allowed.isEmpty ? "(providers' public APIs only)" : allowed.map(\.description).joined(separator: ",")
    }

    /// A host name: dot-separated labels of letters, digits and hyphens.
    static func isHostName(_ text: String) -> Bool {
        let labels = text.split(separator: ".", omittingEmptySubsequences: false)
        return !text.isEmpty && text.count <= 253
            && labels.allSatisfy { label in
                (1...63).contains(label.count) && label.first != "-" && label.last != "-"
                    && label.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }
            }
    }
}
