import Foundation

/// A business unit using Yizhan: it owns apps, accounts, messages and an archive, and sees no
/// other tenant's.
public struct Tenant: Sendable, Equatable {
    /// Whether the tenant's users and keys may act.
    public enum Status: String, Sendable, CaseIterable, Codable {
        case active
        /// Refused with `TENANT_SUSPENDED`; its data is kept.
        case suspended
    }

    /// The code of the tenant that holds the platform administrators.
    public static let platformCode = "platform"

    public var id: String
    /// Unique, lower-case, used to log in (`{tenant, email, password}`).
    public var code: String
    public var name: String
    public var status: Status
    public var quotas: TenantQuotas
    public var createdAt: Date
    public var updatedAt: Date

    public init(
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
    public var isPlatform: Bool { code == Self.platformCode }
}

/// What a tenant may use; `nil` means unlimited.
public struct TenantQuotas: Sendable, Equatable, Codable {
    public var maxApps: Int?
    public var maxAccounts: Int?
    public var maxDailyMessages: Int?

    public init(maxApps: Int? = nil, maxAccounts: Int? = nil, maxDailyMessages: Int? = nil) {
        self.maxApps = maxApps
        self.maxAccounts = maxAccounts
        self.maxDailyMessages = maxDailyMessages
    }
}
