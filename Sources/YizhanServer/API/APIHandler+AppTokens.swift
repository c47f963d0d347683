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

    /// Access: `apps:write` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func storeLarkUserToken(_ input: Operations.StoreLarkUserToken.Input) async throws -> Operations.StoreLarkUserToken.Output {
        guard case .json(let body) = input.body else { throw YizhanError(.unsupportedMediaType, "The body must be application/json.") }
        let authorization = try await credentials.larkUsers.exchange(
            code: body.code, redirectURI: body.redirectUri, codeVerifier: body.codeVerifier, appID: input.path.appId,
            tenantID: try principal().tenantID)
        let data = Components.Schemas.LarkUserToken(
            openId: authorization.openID, expiresIn: authorization.expiresIn, refreshExpiresIn: authorization.refreshExpiresIn)
        return .created(.init(body: .json(.init(success: true, data: data, meta: meta()))))
    }
}
