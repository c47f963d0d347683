/// The fields of a tenant a `PATCH` may change; `nil` leaves a field as it is.
public struct TenantChanges: Sendable {
    public var name: String?
    public var status: Tenant.Status?
    /// Each member, when given, replaces that quota (`.some(nil)` removes the limit).
    public var maxApps: Int??
    public var maxAccounts: Int??
    public var maxDailyMessages: Int??

    public init(
        name: String? = nil, status: Tenant.Status? = nil,
        maxApps: Int?? = nil, maxAccounts: Int?? = nil, maxDailyMessages: Int?? = nil
    ) {
        self.name = name
        self.status = status
        self.maxApps = maxApps
        self.maxAccounts = maxAccounts
        self.maxDailyMessages = maxDailyMessages
    }
}
