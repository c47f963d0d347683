import YizhanAPI
import YizhanCore
import YizhanIdentity

extension APIHandler {
    /// Access: `public`: no credential needed (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func login(_ input: Operations.Login.Input) async throws -> Operations.Login.Output {
        guard case .json(let body) = input.body else { throw YizhanError(.unsupportedMediaType, "The body must be application/json.") }
        let pair = try await identity.auth.login(tenantCode: body.tenant, email: body.email, password: body.password)
        return .ok(.init(body: .json(.init(success: true, data: .init(pair), meta: meta()))))
    }

    /// Access: `public`: no credential needed (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func refreshToken(_ input: Operations.RefreshToken.Input) async throws -> Operations.RefreshToken.Output {
        guard case .json(let body) = input.body else { throw YizhanError(.unsupportedMediaType, "The body must be application/json.") }
        let pair = try await identity.auth.refresh(body.refreshToken)
        return .ok(.init(body: .json(.init(success: true, data: .init(pair), meta: meta()))))
    }

    /// Access: `authenticated`: any valid credential (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func logout(_ input: Operations.Logout.Input) async throws -> Operations.Logout.Output {
        try await identity.auth.logout(try principal())
        return .ok(.init(body: .json(done)))
    }

    /// Access: `authenticated`: any valid credential (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func logoutAll(_ input: Operations.LogoutAll.Input) async throws -> Operations.LogoutAll.Output {
        try await identity.auth.logoutAll(try principal())
        return .ok(.init(body: .json(done)))
    }

    /// Access: `authenticated`: any valid credential (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func getMe(_ input: Operations.GetMe.Input) async throws -> Operations.GetMe.Output {
        let principal = try principal()
        let email: String?
        let name: String
        switch principal.actor {
        case .user(_, let address, _):
            email = address
            name = address
        case .apiKey(_, let keyName, _):
            email = nil
            name = keyName
        }
        let me = Components.Schemas.Me(
            tenant: .init(id: principal.tenantID, code: principal.tenantCode, name: principal.tenantName),
            actorType: principal.userID == nil ? .apiKey : .user,
            actorId: principal.actorID,
            email: email,
            name: name,
            roles: principal.roles.sorted(),
            permissions: .names(principal.permissions))
        return .ok(.init(body: .json(.init(success: true, data: me, meta: meta()))))
    }

    /// Access: `authenticated`: any valid credential (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func changeOwnPassword(_ input: Operations.ChangeOwnPassword.Input) async throws -> Operations.ChangeOwnPassword.Output {
        guard case .json(let body) = input.body else { throw YizhanError(.unsupportedMediaType, "The body must be application/json.") }
        try await identity.users.changeOwnPassword(by: try principal(), current: body.currentPassword, new: body.newPassword)
        return .ok(.init(body: .json(done)))
    }
}

extension Components.Schemas.TokenPair {
    init(_ pair: TokenPair) {
        self.init(accessToken: pair.accessToken, refreshToken: pair.refreshToken, tokenType: .bearer, expiresIn: pair.expiresIn)
    }
}
