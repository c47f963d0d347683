import YizhanAPI
import YizhanCore
import YizhanIdentity

extension APIHandler {
    /// Access: `api_keys:read` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func listAPIKeys(_ input: Operations.ListAPIKeys.Input) async throws -> Operations.ListAPIKeys.Output {
        let page = try await identity.apiKeys.list(
            tenantID: try principal().tenantID, includeRevoked: input.query.includeRevoked ?? false,
            page: try pageRequest(page: input.query.page, pageSize: input.query.pageSize))
        let list = Components.Schemas.APIKeyList(items: page.items.map { .init($0) }, pagination: Self.pagination(page))
        return .ok(.init(body: .json(.init(success: true, data: list, meta: meta()))))
    }

    /// Access: `api_keys:write` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func createAPIKey(_ input: Operations.CreateAPIKey.Input) async throws -> Operations.CreateAPIKey.Output {
        guard case .json(let body) = input.body else { throw YizhanError(.unsupportedMediaType, "The body must be application/json.") }
        let (key, secret) = try await identity.apiKeys.create(
            by: try principal(), name: body.name, permissions: body.permissions.rawValues, expiresAt: body.expiresAt)
        let created = Components.Schemas.CreatedAPIKey(apiKey: .init(key), key: secret)
        return .created(.init(body: .json(.init(success: true, data: created, meta: meta()))))
    }

    /// Access: `api_keys:read` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func getAPIKey(_ input: Operations.GetAPIKey.Input) async throws -> Operations.GetAPIKey.Output {
        guard let key = try await identity.apiKeys.key(id: input.path.keyId, tenantID: try principal().tenantID) else {
            throw YizhanError(.notFound, "No API key with id \(input.path.keyId).")
        }
        return .ok(.init(body: .json(.init(success: true, data: .init(key), meta: meta()))))
    }

    /// Access: `api_keys:write` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func revokeAPIKey(_ input: Operations.RevokeAPIKey.Input) async throws -> Operations.RevokeAPIKey.Output {
        let key = try await identity.apiKeys.revoke(id: input.path.keyId, by: try principal())
        return .ok(.init(body: .json(.init(success: true, data: .init(key), meta: meta()))))
    }
}
