import YizhanAPI
import YizhanCore
import YizhanIdentity

extension APIHandler {
    /// Access: `users:read` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func listUsers(_ input: Operations.ListUsers.Input) async throws -> Operations.ListUsers.Output {
        let page = try await identity.users.list(
            tenantID: try principal().tenantID, search: input.query.search, role: input.query.role,
            page: try pageRequest(page: input.query.page, pageSize: input.query.pageSize))
        let list = Components.Schemas.UserList(items: page.items.map { .init($0) }, pagination: Self.pagination(page))
        return .ok(.init(body: .json(.init(success: true, data: list, meta: meta()))))
    }

    /// Access: `users:write` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func createUser(_ input: Operations.CreateUser.Input) async throws -> Operations.CreateUser.Output {
        guard case .json(let body) = input.body else { throw YizhanError(.unsupportedMediaType, "The body must be application/json.") }
        let user = try await identity.users.create(
            by: try principal(), email: body.email, password: body.password, name: body.name, roles: body.roles)
        return .created(.init(body: .json(.init(success: true, data: .init(user), meta: meta()))))
    }

    /// Access: `users:read` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func getUser(_ input: Operations.GetUser.Input) async throws -> Operations.GetUser.Output {
        guard let user = try await identity.users.user(id: input.path.userId, tenantID: try principal().tenantID) else {
            throw UserService.notFound(input.path.userId)
        }
        return .ok(.init(body: .json(.init(success: true, data: .init(user), meta: meta()))))
    }

    /// Access: `users:write` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func updateUser(_ input: Operations.UpdateUser.Input) async throws -> Operations.UpdateUser.Output {
        guard case .json(let body) = input.body else { throw YizhanError(.unsupportedMediaType, "The body must be application/json.") }
        let user = try await identity.users.update(
            id: input.path.userId, by: try principal(), email: body.email, name: body.name, roles: body.roles)
        return .ok(.init(body: .json(.init(success: true, data: .init(user), meta: meta()))))
    }

    /// Access: `users:write` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func deleteUser(_ input: Operations.DeleteUser.Input) async throws -> Operations.DeleteUser.Output {
        try await identity.users.delete(id: input.path.userId, by: try principal())
        return .ok(.init(body: .json(done)))
    }

    /// Access: `users:write` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func resetUserPassword(_ input: Operations.ResetUserPassword.Input) async throws -> Operations.ResetUserPassword.Output {
        guard case .json(let body) = input.body else { throw YizhanError(.unsupportedMediaType, "The body must be application/json.") }
        try await identity.users.resetPassword(id: input.path.userId, by: try principal(), newPassword: body.password)
        return .ok(.init(body: .json(done)))
    }
}
