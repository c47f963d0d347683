import Foundation

/// One sensitive action, as written to the audit log.
public struct AuditEntry: Sendable, Equatable {
    public var id: String
    /// The tenant the action happened in (the target's tenant), if any.
    public var tenantID: String?
    /// `user`, `api_key`, `system` or `anonymous` (a failed login).
    public var actorType: String
    public var actorID: String?
    /// The user's email or the key's name (for a failed login, the email that was tried).
    public var actorLabel: String?
    /// What happened, e.g. `auth.login`, `user.create`, `api_key.revoke`, `tenant.update`.
    public var action: String
    /// `success` or `failure`.
    public var outcome: String
    public var targetType: String?
    public var targetID: String?
    public var clientAddress: String?
    public var requestID: String?
    /// Caller-safe details (changed field names, the reason of a failure); never a secret.
    public var details: [String: String]
    public var occurredAt: Date

    public init(
        id: String, tenantID: String?, actorType: String, actorID: String?, actorLabel: String?,
        action: String, outcome: String, targetType: String?, targetID: String?,
        clientAddress: String?, requestID: String?, details: [String: String], occurredAt: Date
    ) {
        self.id = id
        self.tenantID = tenantID
        self.actorType = actorType
        self.actorID = actorID
        self.actorLabel = actorLabel
        self.action = action
        self.outcome = outcome
        self.targetType = targetType
        self.targetID = targetID
        self.clientAddress = clientAddress
        self.requestID = requestID
        self.details = details
        self.occurredAt = occurredAt
    }
}
