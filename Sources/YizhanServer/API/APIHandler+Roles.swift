import YizhanAPI
import YizhanCore
import YizhanIdentity

extension APIHandler {
    /// Access: `roles:read` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func listRoles(_ input: Operations.ListRoles.Input) async throws -> Operations.ListRoles.Output {
        let principal = try principal()
        var roles: [Components.Schemas.Role] = BuiltInRole.allCases
            .filter { !$0.isPlatformOnly || principal.tenantCode == Tenant.platformCode }
            .map { .init(name: $0.rawValue, builtIn: true, description: $0.summary, permissions: .names($0.permissions)) }
        roles += try await identity.roles.list(tenantID: principal.tenantID).map { .init($0) }
        return .ok(.init(body: .json(.init(success: true, data: .init(items: roles), meta: meta()))))
    }

    /// Access: `roles:write` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func createRole(_ input: Operations.CreateRole.Input) async throws -> Operations.CreateRole.Output {
        guard case .json(let body) = input.body else { throw YizhanError(.unsupportedMediaType, "The body must be application/json.") }
        let role = try await identity.roles.create(
            by: try principal(), name: body.name, description: body.description, permissions: body.permissions.rawValues)
        return .created(.init(body: .json(.init(success: true, data: .init(role), meta: meta()))))
    }

    /// Access: `roles:write` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func updateRole(_ input: Operations.UpdateRole.Input) async throws -> Operations.UpdateRole.Output {
        guard case .json(let body) = input.body else { throw YizhanError(.unsupportedMediaType, "The body must be application/json.") }
        let role = try await identity.roles.update(
            by: try principal(), name: input.path.roleName, description: body.description, permissions: body.permissions?.rawValues)
        return .ok(.init(body: .json(.init(success: true, data: .init(role), meta: meta()))))
    }

    /// Access: `roles:write` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func deleteRole(_ input: Operations.DeleteRole.Input) async throws -> Operations.DeleteRole.Output {
        try await identity.roles.delete(by: try principal(), name: input.path.roleName)
        return .ok(.init(body: .json(done)))
    }
}

extension Components.Schemas.Role {
    init(_ role: CustomRole) {
        self.init(name: role.name, builtIn: false, description: role.description, permissions: .names(role.permissions))
    }
}
