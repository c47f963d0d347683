import Foundation

/// Which audit entries to list; `nil` members match everything.
public struct AuditFilter: Sendable {
    public var action: String?
    public var actorID: String?
    public var targetID: String?
    public var outcome: String?
    public var since: Date?
    public var until: Date?

    public init(
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
