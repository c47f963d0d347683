import Foundation

/// One sensitive action, as written to the audit log.
package struct AuditEntry: Sendable, Equatable {
    package var id: String
    /// The tenant the action happened in (the target's tenant), if any.
    package var tenantID: String?
    /// `user`, `api_key`, `system` or `anonymous` (a failed login).
    package var actorType: String
    package var actorID: String?
    /// The user's email or the key's name (for a failed login, the email that was tried).
    package var actorLabel: String?
    /// What happened, e.g. `auth.login`, `user.create`, `api_key.revoke`, `tenant.update`.
    package var action: String
    /// `success` or `failure`.
    package var outcome: String
    package var targetType: String?
    package var targetID: String?
    package var clientAddress: String?
    package var requestID: String?
    /// Caller-safe details (changed field names, the reason of a failure); never a secret.
    package var details: [String: String]
    package var occurredAt: Date

    package init(
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
