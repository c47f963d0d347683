import Foundation
import YizhanCore
import YizhanStorage

/// The audit log: entries are written inside the transaction of the action they record, so an
/// action and its entry commit together or not at all.
package struct AuditLog: Sendable {
    /// What an action was done to.
    package struct Target: Sendable {
        package var type: String
        package var id: String

        package init(_ type: String, _ id: String) {
            self.type = type
            self.id = id
        }
    }

    private let database: any Database
    private let clock: any TimeSource
    private let store = AuditLogStore()

    package init(database: any Database, clock: any TimeSource) {
        self.database = database
        self.clock = clock
    }

    /// Records `action` by the current principal (or `anonymous`, labelled `actorLabel`), in `work`.
    /// - Parameters:
    ///   - tenantID: The tenant it happened in; the principal's when `nil`.
    ///   - details: Caller-safe facts; never a secret.
    package func record(
        _ action: String,
        outcome: String = "success",
        tenantID: String? = nil,
        target: Target? = nil,
        actorLabel: String? = nil,
        details: [String: String] = [:],
        in work: UnitOfWork
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
            occurredAt: clock.now()), in: work)
    }

    /// The tenant's entries matching `filter`, newest first.
    package func list(tenantID: String, filter: AuditFilter, page: PageRequest) async throws -> Page<AuditEntry> {
        try await database.withConnection { work in
            try await store.list(tenantID: tenantID, filter: filter, page: page, in: work)
        }
    }
}
