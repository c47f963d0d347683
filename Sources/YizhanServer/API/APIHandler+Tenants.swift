import YizhanAPI
import YizhanCore
import YizhanIdentity

extension APIHandler {
    /// Access: `tenant:read` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func getOwnTenant(_ input: Operations.GetOwnTenant.Input) async throws -> Operations.GetOwnTenant.Output {
        let principal = try principal()
        guard let tenant = try await identity.tenants.tenant(id: principal.tenantID) else {
            throw YizhanError(.notFound, "No tenant with id \(principal.tenantID).")
        }
        let usage = try await identity.quotas.usage(tenantID: tenant.id, .dailyMessages)
        return .ok(.init(body: .json(.init(success: true, data: .init(tenant, usage: usage), meta: meta()))))
    }

    /// Access: `tenants:read` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func listTenants(_ input: Operations.ListTenants.Input) async throws -> Operations.ListTenants.Output {
        let page = try await identity.tenants.list(
            search: input.query.search,
            status: input.query.status.map { $0 == .active ? .active : .suspended },
            page: try pageRequest(page: input.query.page, pageSize: input.query.pageSize))
        let list = Components.Schemas.TenantList(items: page.items.map { .init($0) }, pagination: Self.pagination(page))
        return .ok(.init(body: .json(.init(success: true, data: list, meta: meta()))))
    }

    /// Access: `tenants:write` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func createTenant(_ input: Operations.CreateTenant.Input) async throws -> Operations.CreateTenant.Output {
        guard case .json(let body) = input.body else { throw YizhanError(.unsupportedMediaType, "The body must be application/json.") }
        var owner: TenantService.Owner?
        switch (body.ownerEmail, body.ownerPassword) {
        case (let email?, let password?): owner = .init(email: email, password: password, name: body.ownerName)
        case (nil, nil): owner = nil
        default:
            throw YizhanError(
                .validationError, "Give both 'owner_email' and 'owner_password', or neither.",
                details: ["field": .string(body.ownerEmail == nil ? "owner_email" : "owner_password")])
        }
        let created = try await identity.tenants.create(
            code: body.code, name: body.name, quotas: body.quotas?.domain ?? TenantQuotas(), owner: owner)
        let tenant = Components.Schemas.Tenant(created.tenant, owner: created.owner)
        return .created(.init(body: .json(.init(success: true, data: tenant, meta: meta()))))
    }

    /// Access: `tenants:read` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func getTenant(_ input: Operations.GetTenant.Input) async throws -> Operations.GetTenant.Output {
        guard let tenant = try await identity.tenants.tenant(id: input.path.tenantId) else {
            throw YizhanError(.notFound, "No tenant with id \(input.path.tenantId).")
        }
        let usage = try await identity.quotas.usage(tenantID: tenant.id, .dailyMessages)
        return .ok(.init(body: .json(.init(success: true, data: .init(tenant, usage: usage), meta: meta()))))
    }

    /// Access: `tenants:write` (its `x-permission` in openapi.yaml; ``AuthMiddleware`` checks it).
    func updateTenant(_ input: Operations.UpdateTenant.Input) async throws -> Operations.UpdateTenant.Output {
        guard case .json(let body) = input.body else { throw YizhanError(.unsupportedMediaType, "The body must be application/json.") }
        var changes = TenantChanges(name: body.name, status: body.status.map { $0 == .active ? .active : .suspended })
        if let quotas = body.quotas {
            changes.maxApps = .some(quotas.maxApps)
            changes.maxAccounts = .some(quotas.maxAccounts)
            changes.maxDailyMessages = .some(quotas.maxDailyMessages)
        }
        let tenant = try await identity.tenants.update(id: input.path.tenantId, changes)
        return .ok(.init(body: .json(.init(success: true, data: .init(tenant), meta: meta()))))
    }
}
