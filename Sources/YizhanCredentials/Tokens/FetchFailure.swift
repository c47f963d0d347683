import Foundation

/// A token fetch that failed, kept while the pool waits before asking the provider again.
struct FetchFailure: Sendable {
    /// What the callers in the pause get, as the fetch threw it (never a secret: see TokenPool+Kits).
    var error: any Error
    /// Until when no caller asks the provider again.
    var until: Date
    /// How many fetches in a row failed, the pause doubling with each.
    var consecutive: Int
}
