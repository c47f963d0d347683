import YizhanAPI
import YizhanCore
import YizhanCredentials
import YizhanIdentity

extension APIHandler {
    /// Access: `apps:read` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func listApps(_ input: Operations.ListApps.Input) async throws -> Operations.ListApps.Output {
        let page = try await credentials.apps.list(
            tenantID: try principal().tenantID,
            provider: input.query.provider.flatMap { AppProvider(rawValue: $0.rawValue) },
            status: input.query.status.flatMap { ProviderApp.Status(rawValue: $0.rawValue) },
            page: try pageRequest(page: input.query.page, pageSize: input.query.pageSize))
        let list = Components.Schemas.AppList(items: page.items.map { .init($0) }, pagination: Self.pagination(page))
        return .ok(.init(body: .json(.init(success: true, data: list, meta: meta()))))
    }

    /// Access: `apps:write` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func createApp(_ input: Operations.CreateApp.Input) async throws -> Operations.CreateApp.Output {
        guard case .json(let body) = input.body else { throw YizhanError(.unsupportedMediaType, "The body must be application/json.") }
        let app = try await credentials.apps.create(AppRegistration(body), tenantID: try principal().tenantID)
        return .created(.init(body: .json(.init(success: true, data: .init(app), meta: meta()))))
    }

    /// Access: `apps:read` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func getApp(_ input: Operations.GetApp.Input) async throws -> Operations.GetApp.Output {
        let app = try await credentials.apps.app(id: input.path.appId, tenantID: try principal().tenantID)
        return .ok(.init(body: .json(.init(success: true, data: .init(app), meta: meta()))))
    }

    /// Access: `apps:write` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func updateApp(_ input: Operations.UpdateApp.Input) async throws -> Operations.UpdateApp.Output {
        guard case .json(let body) = input.body else { throw YizhanError(.unsupportedMediaType, "The body must be application/json.") }
        let changes = AppChanges(
            name: body.name, baseURL: body.baseUrl, status: body.status.flatMap { ProviderApp.Status(rawValue: $0.rawValue) },
            secrets: body.credentials?.additionalProperties ?? [:])
        let app = try await credentials.apps.update(id: input.path.appId, tenantID: try principal().tenantID, changes)
        return .ok(.init(body: .json(.init(success: true, data: .init(app), meta: meta()))))
    }

    /// Access: `apps:write` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func deleteApp(_ input: Operations.DeleteApp.Input) async throws -> Operations.DeleteApp.Output {
        let app = try await credentials.apps.delete(id: input.path.appId, tenantID: try principal().tenantID)
        return .ok(.init(body: .json(.init(success: true, data: .init(app), meta: meta()))))
    }

    /// Access: `apps:write` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func verifyApp(_ input: Operations.VerifyApp.Input) async throws -> Operations.VerifyApp.Output {
        let result = try await credentials.verifier.verify(id: input.path.appId, tenantID: try principal().tenantID)
        let data = Components.Schemas.AppVerification(
            ok: result.ok, providerCode: result.providerCode, message: result.message, tokenExpiresIn: result.tokenExpiresIn,
            latencyMs: result.latencyMilliseconds)
        return .ok(.init(body: .json(.init(success: true, data: data, meta: meta()))))
    }
}

extension AppRegistration {
    /// The registration a request body describes: each provider's credentials by field name.
    init(_ body: Components.Schemas.CreateAppRequest) {
        func fields(_ pairs: [(String, String?)]) -> [String: String] {
            Dictionary(uniqueKeysWithValues: pairs.compactMap { name, value in value.map { (name, $0) } })
        }
        switch body {
        case .lark(let app), .larkMarketplace(let app):
            let credentials = app.credentials
            self.init(
                name: app.name, provider: app.provider == .larkMarketplace ? .larkMarketplace : .lark, baseURL: app.baseUrl,
                credentials: fields([
                    ("app_id", credentials.appId), ("app_secret", credentials.appSecret), ("encrypt_key", credentials.encryptKey),
                    ("verification_token", credentials.verificationToken),
                ]))
        case .wecom(let app):
            let credentials = app.credentials
            self.init(
                name: app.name, provider: .wecom, baseURL: app.baseUrl,
                credentials: fields([
                    ("corp_id", credentials.corpId), ("agent_id", String(credentials.agentId)), ("secret", credentials.secret),
                    ("token", credentials.token), ("encoding_aes_key", credentials.encodingAesKey),
                ]))
        case .larkBot(let bot):
            self.init(
                name: bot.name, provider: .larkBot,
                credentials: fields([("webhook_url", bot.credentials.webhookUrl), ("secret", bot.credentials.secret)]))
        case .wecomRobot(let robot):
            self.init(name: robot.name, provider: .wecomRobot, baseURL: robot.baseUrl, credentials: ["key": robot.credentials.key])
        case .dingtalkRobot(let robot):
            self.init(
                name: robot.name, provider: .dingtalkRobot, baseURL: robot.baseUrl,
                credentials: fields([("access_token", robot.credentials.accessToken), ("secret", robot.credentials.secret)]))
        }
    }
}

extension Components.Schemas.App {
    /// The read model of an app: identifiers, the names of its secrets, never a value of one.
    init(_ app: ProviderApp) {
        let identifiers = app.identifiers
        self.init(
            id: app.id, name: app.name, provider: Components.Schemas.AppProvider(rawValue: app.provider.rawValue) ?? .lark,
            baseUrl: app.baseURL, status: app.status == .active ? .active : .disabled,
            identifiers: .init(
                appId: identifiers["app_id"], corpId: identifiers["corp_id"], agentId: identifiers["agent_id"].flatMap { Int($0) },
                webhookHost: identifiers["webhook_host"], fingerprint: identifiers["fingerprint"]),
            secretsSet: app.secretNames, callbackPath: app.callbackPath, createdAt: app.createdAt, updatedAt: app.updatedAt)
    }
}
