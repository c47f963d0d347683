import Foundation

/// A business unit using Yizhan: it owns apps, accounts, messages and an archive, and sees no
/// other tenant's.
package struct Tenant: Sendable, Equatable {
    /// Whether the tenant's users and keys may act.
    package enum Status: String, Sendable, CaseIterable, Codable {
        case active
        /// Refused with `TENANT_SUSPENDED`; its data is kept.
        case suspended
    }

    /// The code of the tenant that holds the platform administrators.
    package static let platformCode = "platform"

    package var id: String
    /// Unique, lower-case, used to log in (`{tenant, email, password}`).
    package var code: String
    package var name: String
    package var status: Status
    package var quotas: TenantQuotas
    package var createdAt: Date
    package var updatedAt: Date

    package init(
        id: String, code: String, name: String, status: Status, quotas: TenantQuotas,
        createdAt: Date, updatedAt: Date
    ) {
        self.id = id
        self.code = code
        self.name = name
        self.status = status
        self.quotas = quotas
        self.createdAt = createdAt
        self.updatedAt = updatedAt
    }

    /// Whether this is the platform tenant.
    package var isPlatform: Bool { code == Self.platformCode }
}

/// What a tenant may use; `nil` means unlimited.
package struct TenantQuotas: Sendable, Equatable, Codable {
    package var maxApps: Int?
    package var maxAccounts: Int?
    package var maxDailyMessages: Int?

    package init(maxApps: Int? = nil, maxAccounts: Int? = nil, maxDailyMessages: Int? = nil) {
        self.maxApps = maxApps
        self.maxAccounts = maxAccounts
        self.maxDailyMessages = maxDailyMessages
    }
}
