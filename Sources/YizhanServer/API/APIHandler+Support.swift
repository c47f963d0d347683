import Foundation
import YizhanAPI
import YizhanCore
import YizhanIdentity

extension APIHandler {
    /// The authenticated principal; the auth middleware guarantees one on non-package operations.
    func principal() throws -> Principal {
        guard let principal = Principal.current else {
            throw YizhanError(.unauthorized, "The credentials are missing, invalid or expired.")
        }
        return principal
    }

    func pageRequest(page: Int?, pageSize: Int?) throws -> PageRequest {
        if let page, !(1...PageRequest.maximumPage).contains(page) {
            throw YizhanError(
                .validationError, "Query 'page' must be 1 to \(PageRequest.maximumPage).", details: ["field": "page"])
        }
        if let pageSize, !(1...200).contains(pageSize) {
            throw YizhanError(.validationError, "Query 'page_size' must be 1 to 200.", details: ["field": "page_size"])
        }
        return PageRequest(page: page ?? 1, pageSize: pageSize ?? 50)
    }

    static func pagination<Item>(_ page: Page<Item>) -> Components.Schemas.Pagination {
        .init(page: page.page, pageSize: page.pageSize, total: page.total)
    }

    var done: Components.Schemas.DoneResponse {
        .init(success: true, data: .init(done: true), meta: meta())
    }
}

extension Components.Schemas.User {
    init(_ user: User) {
        self.init(id: user.id, email: user.email, name: user.name, roles: user.roles, createdAt: user.createdAt, updatedAt: user.updatedAt)
    }
}

extension Components.Schemas.Quotas {
    init(_ quotas: TenantQuotas) {
        self.init(maxApps: quotas.maxApps, maxAccounts: quotas.maxAccounts, maxDailyMessages: quotas.maxDailyMessages)
    }

    var domain: TenantQuotas {
        TenantQuotas(maxApps: maxApps, maxAccounts: maxAccounts, maxDailyMessages: maxDailyMessages)
    }
}

extension Components.Schemas.Tenant {
    init(_ tenant: Tenant, usage: Int? = nil, owner: User? = nil) {
        self.init(
            id: tenant.id, code: tenant.code, name: tenant.name,
            status: tenant.status == .active ? .active : .suspended,
            quotas: .init(tenant.quotas),
            usage: usage.map { .init(dailyMessages: $0) },
            owner: owner.map(Components.Schemas.User.init),
            createdAt: tenant.createdAt, updatedAt: tenant.updatedAt)
    }
}

extension Components.Schemas.APIKey {
    init(_ key: APIKey) {
        self.init(
            id: key.id, name: key.name, prefix: key.prefix, permissions: .names(key.permissions),
            createdBy: key.createdBy, createdAt: key.createdAt, expiresAt: key.expiresAt, lastUsedAt: key.lastUsedAt,
            revokedAt: key.revokedAt)
    }
}

extension Array where Element == Components.Schemas.PermissionName {
    /// The wire names of `permissions`, sorted. (`PermissionDocumentTests` checks that the
    /// document's enum and ``Permission/all`` agree, so none is dropped.)
    static func names(_ permissions: Set<Permission>) -> Self {
        permissions.sorted().compactMap { Components.Schemas.PermissionName(rawValue: $0.rawValue) }
    }

    /// The permission names as strings, for the identity services.
    var rawValues: [String] { map(\.rawValue) }
}
