import Foundation

/// Which audit entries to list; `nil` members match everything.
package struct AuditFilter: Sendable {
    package var action: String?
    package var actorID: String?
    package var targetID: String?
    package var outcome: String?
    package var since: Date?
    package var until: Date?

    package init(
        action: String? = nil, actorID: String? = nil, targetID: String? = nil, outcome: String? = nil,
        since: Date? = nil, until: Date? = nil
    ) {
        self.action = action
        self.actorID = actorID
        self.targetID = targetID
        self.outcome = outcome
        self.since = since
        self.until = until
    }
}
