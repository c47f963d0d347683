/// The roles every tenant has without defining them.
package enum BuiltInRole: String, Sendable, CaseIterable {
    /// Everything within the tenant; only an owner may make another owner.
    case owner
    /// Everything within the tenant except making owners.
    case admin
    /// Runs the messaging: sends, manages accounts and alerts, reads the rest.
    case `operator`
    /// Reads, never changes.
    case viewer
    /// The platform tenant's administrators: every tenant-scoped right plus managing tenants.
    case platformAdmin = "platform_admin"

    /// The permissions the role grants.
    package var permissions: Set<Permission> {
        switch self {
        case .owner, .admin:
            Set(Permission.tenantScoped)
        case .operator:
            [.tenantRead, .usersRead, .appsRead, .accountsRead, .accountsWrite, .messagesRead, .messagesSend,
             .archiveRead, .archiveExport, .alertsRead, .alertsWrite]
        case .viewer:
            [.tenantRead, .usersRead, .appsRead, .accountsRead, .messagesRead, .archiveRead, .alertsRead]
        case .platformAdmin:
            Set(Permission.all)
        }
    }

    /// Whether the role may be held only by users of the platform tenant.
    package var isPlatformOnly: Bool { self == .platformAdmin }

    /// One line for people choosing a role.
    package var summary: String {
        switch self {
        case .owner: "Everything within the tenant, including making owners."
        case .admin: "Everything within the tenant except making owners."
        case .operator: "Sends messages and runs accounts and alerts; reads the rest."
        case .viewer: "Reads; changes nothing."
        case .platformAdmin: "Manages every tenant (platform tenant only)."
        }
    }
}
