/// A partial update of an app: each non-nil member replaces what is stored.
package struct AppChanges: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    package var name: String?
    package var baseURL: String?
    package var status: ProviderApp.Status?
    /// Secrets to replace, by name; each must be a secret field of the app's provider.
    package var secrets: [String: String]

    package init(name: String? = nil, baseURL: String? = nil, status: ProviderApp.Status? = nil, secrets: [String: String] = [:]) {
        self.name = name
        self.baseURL = baseURL
        self.status = status
        self.secrets = secrets
    }

    /// Whether it changes nothing.
    package var isEmpty: Bool { name == nil && baseURL == nil && status == nil && secrets.isEmpty }

    /// Names the secrets replaced, never their values.
    package var description: String {
        "AppChanges(name: \(name ?? "-"), baseURL: \(baseURL ?? "-"), status: \(status?.rawValue ?? "-"), "
            + "secrets: \(secrets.keys.sorted().joined(separator: ", ")))"
    }
    package var debugDescription: String { description }
}
