import YizhanAPI
import YizhanCore
import YizhanIdentity

extension APIHandler {
    /// Access: `audit:read` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func listAuditLogs(_ input: Operations.ListAuditLogs.Input) async throws -> Operations.ListAuditLogs.Output {
        let query = input.query
        let filter = AuditFilter(
            action: query.action, actorID: query.actorId, targetID: query.targetId, outcome: query.outcome?.rawValue,
            since: query.since, until: query.until)
        let page = try await identity.audit.list(
            tenantID: try principal().tenantID, filter: filter,
            page: try pageRequest(page: query.page, pageSize: query.pageSize))
        let list = Components.Schemas.AuditLogList(items: page.items.map { .init($0) }, pagination: Self.pagination(page))
        return .ok(.init(body: .json(.init(success: true, data: list, meta: meta()))))
    }
}

extension Components.Schemas.AuditEntry {
    init(_ entry: AuditEntry) {
        self.init(
            id: entry.id,
            actorType: .init(rawValue: entry.actorType) ?? .system,
            actorId: entry.actorID,
            actorLabel: entry.actorLabel,
            action: entry.action,
            outcome: entry.outcome == "success" ? .success : .failure,
            targetType: entry.targetType,
            targetId: entry.targetID,
            clientAddress: entry.clientAddress,
            requestId: entry.requestID,
            details: .init(additionalProperties: entry.details),
            occurredAt: entry.occurredAt)
    }
}
