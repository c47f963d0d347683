import Foundation
import YizhanCore
import YizhanStorage

/// Writes audit entries, filling in the actor, request id and client address of the request in scope.
public struct AuditLog: Sendable {
    /// What an action was done to.
    public struct Target: Sendable {
        public var type: String
        public var id: String

        public init(_ type: String, _ id: String) {
            self.type = type
            self.id = id
        }
    }

    public let store: AuditLogStore

    public init(database: any Database) {
        self.store = AuditLogStore(database: database)
    }

    /// Records `action` by the current principal (or `anonymous`, labelled `actorLabel`).
    /// - Parameters:
    ///   - tenantID: The tenant it happened in; the principal's when `nil`.
    ///   - details: Caller-safe facts; never a secret.
    public func record(
        _ action: String,
        outcome: String = "success",
        tenantID: String? = nil,
        target: Target? = nil,
        actorLabel: String? = nil,
        details: [String: String] = [:]
    ) async throws {
        let principal = Principal.current
        try await store.append(AuditEntry(
            id: IdentityID.make("aud"),
            tenantID: tenantID ?? principal?.tenantID,
            actorType: principal?.actorType ?? (actorLabel == nil ? "system" : "anonymous"),
            actorID: principal?.actorID,
            actorLabel: principal?.actorLabel ?? actorLabel,
            action: action,
            outcome: outcome,
            targetType: target?.type,
            targetID: target?.id,
            clientAddress: ClientAddress.current,
            requestID: RequestID.current,
            details: details,
            occurredAt: Date()))
    }
}
