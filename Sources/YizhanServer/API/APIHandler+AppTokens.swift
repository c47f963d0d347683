import YizhanAPI
import YizhanCore
import YizhanCredentials
import YizhanIdentity

extension APIHandler {
    /// Access: `apps:write` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func storeAppTicket(_ input: Operations.StoreAppTicket.Input) async throws -> Operations.StoreAppTicket.Output {
        guard case .json(let body) = input.body else { throw YizhanError(.unsupportedMediaType, "The body must be application/json.") }
        try await credentials.tickets.store(body.appTicket, appID: input.path.appId, tenantID: try principal().tenantID)
        return .noContent(.init())
    }
}
