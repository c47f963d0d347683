import Foundation

/// A person as a provider's directory knows them: the ids it gave for one email or mobile.
package struct Contact: Sendable, Equatable {
    /// The app's provider (`lark` or `wecom`).
    package var provider: AppProvider
    /// Whom the caller asked for.
    package var lookup: ContactLookup
    /// Lark's `open_id` (per app).
    package var openID: String?
    /// Lark's `union_id` (per developer), when the provider gave it.
    package var unionID: String?
    /// Lark's `user_id` (per tenant; needs the employee-id permission), or WeCom's `userid`.
    package var userID: String?
    /// When the provider answered.
    package var lookedUpAt: Date
    /// Whether the answer came from the cache rather than from the provider now.
    package var fromCache: Bool

    package init(
        provider: AppProvider, lookup: ContactLookup, openID: String? = nil, unionID: String? = nil, userID: String? = nil,
        lookedUpAt: Date, fromCache: Bool = false
    ) {
        self.provider = provider
        self.lookup = lookup
        self.openID = openID
        self.unionID = unionID
        self.userID = userID
        self.lookedUpAt = lookedUpAt
        self.fromCache = fromCache
    }
}
