import YizhanAPI
import YizhanCore
import YizhanCredentials
import YizhanIdentity

extension APIHandler {
    /// Access: `apps:read` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func lookUpContact(_ input: Operations.LookUpContact.Input) async throws -> Operations.LookUpContact.Output {
        let contact = try await credentials.contacts.lookUp(
            appID: input.path.appId, tenantID: try principal().tenantID, email: input.query.email, mobile: input.query.mobile,
            refresh: input.query.refresh ?? false)
        return .ok(.init(body: .json(.init(success: true, data: .init(contact), meta: meta()))))
    }
}

extension Components.Schemas.Contact {
    /// A person's ids as the API shows them: Lark's three, or WeCom's `userid`.
    init(_ contact: YizhanCredentials.Contact) {
        let isWeCom = contact.provider == .wecom
        var email: String?
        var mobile: String?
        switch contact.lookup {
        case .email(let value): email = value
        case .mobile(let value): mobile = value
        }
        self.init(
            provider: Components.Schemas.AppProvider(rawValue: contact.provider.rawValue) ?? .lark, email: email, mobile: mobile,
            openId: contact.openID, unionId: contact.unionID, userId: isWeCom ? nil : contact.userID, userid: isWeCom ? contact.userID : nil,
            lookedUpAt: contact.lookedUpAt, fromCache: contact.fromCache)
    }
}
