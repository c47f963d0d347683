/// What a caller gives to register an app: its provider's credential fields by name (WeCom's
/// `agent_id` as its decimal digits).
package struct AppRegistration: Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    package var name: String
    package var provider: AppProvider
    package var baseURL: String?
    package var credentials: [String: String]

    package init(name: String, provider: AppProvider, baseURL: String? = nil, credentials: [String: String]) {
        self.name = name
        self.provider = provider
        self.baseURL = baseURL
        self.credentials = credentials
    }

    /// Names the credentials, never their values.
    package var description: String {
        "AppRegistration(\(provider.rawValue), \(name), credentials: \(credentials.keys.sorted().joined(separator: ", ")))"
    }
    package var debugDescription: String { description }
}
