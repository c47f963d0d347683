/// The fields of a tenant a `PATCH` may change; `nil` leaves a field as it is.
package struct TenantChanges: Sendable {
    package var name: String?
    package var status: Tenant.Status?
    /// Each member, when given, replaces that quota (`.some(nil)` removes the limit).
    package var maxApps: Int??
    package var maxAccounts: Int??
    package var maxDailyMessages: Int??

    package init(
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
