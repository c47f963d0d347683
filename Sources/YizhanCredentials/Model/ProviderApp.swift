import Foundation

/// A provider app or robot of one tenant, as everyone may see it: identifiers, never a secret.
package struct ProviderApp: Sendable, Equatable {
    package enum Status: String, Sendable, CaseIterable {
        case active, disabled
    }

    /// Never changes: a token source built from an app this tenant's read returned serves that
    /// app of that tenant only.
    package let id: String
    package let tenantID: String
    package var name: String
    package var provider: AppProvider
    /// The origin its API calls go to (the provider, a sandbox or a private deployment).
    package var baseURL: String
    package var status: Status
    /// What tells the app apart at its provider: `app_id`, `corp_id` and `agent_id`, a robot's
    /// `fingerprint`, a Lark bot's `webhook_host`.
    package var identifiers: [String: String]
    /// The names of the secrets that are set.
    package var secretNames: [String]
    package var createdAt: Date
    package var updatedAt: Date

    /// Where the provider's events for this app are received; nil for robots.
    package var callbackPath: String? { provider.callbackPath(appID: id) }
}
