/// A named right, `resource:action`, that roles grant and operations require.
///
/// Permissions are plain strings on the wire (`users:read`); this type lists the ones Yizhan knows,
/// so a typo in a role or an operation is caught rather than silently granting nothing.
package struct Permission: RawRepresentable, Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    package let rawValue: String

    package init?(rawValue: String) {
        guard Self.known.contains(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    private init(_ rawValue: String) { self.rawValue = rawValue }

    package var description: String { rawValue }
    package static func < (lhs: Permission, rhs: Permission) -> Bool { lhs.rawValue < rhs.rawValue }

    package init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let value = Permission(rawValue: raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown permission '\(raw)'"))
        }
        self = value
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    // Within a tenant.
    package static let tenantRead = Permission("tenant:read")
    package static let usersRead = Permission("users:read")
    package static let usersWrite = Permission("users:write")
    package static let rolesRead = Permission("roles:read")
    package static let rolesWrite = Permission("roles:write")
    package static let apiKeysRead = Permission("api_keys:read")
    package static let apiKeysWrite = Permission("api_keys:write")
    package static let appsRead = Permission("apps:read")
    package static let appsWrite = Permission("apps:write")
    package static let accountsRead = Permission("accounts:read")
    package static let accountsWrite = Permission("accounts:write")
    package static let messagesRead = Permission("messages:read")
    package static let messagesSend = Permission("messages:send")
    package static let archiveRead = Permission("archive:read")
    package static let archiveExport = Permission("archive:export")
    package static let auditRead = Permission("audit:read")
    package static let alertsRead = Permission("alerts:read")
    package static let alertsWrite = Permission("alerts:write")
    /// The tenant's jobs: list and show (`jobs:read`); retry and cancel (`jobs:write`). A holder of
    /// `tenants:read`/`tenants:write` reaches every tenant's jobs, and only `tenants:write` pauses the
    /// shared queues.
    package static let jobsRead = Permission("jobs:read")
    package static let jobsWrite = Permission("jobs:write")

    // Across tenants: only the platform tenant's `platform_admin` role holds these.
    package static let tenantsRead = Permission("tenants:read")
    package static let tenantsWrite = Permission("tenants:write")

    /// Every permission that applies within one tenant.
    package static let tenantScoped: [Permission] = [
        .tenantRead, .usersRead, .usersWrite, .rolesRead, .rolesWrite, .apiKeysRead, .apiKeysWrite,
        .appsRead, .appsWrite, .accountsRead, .accountsWrite, .messagesRead, .messagesSend,
        .archiveRead, .archiveExport, .auditRead, .alertsRead, .alertsWrite, .jobsRead, .jobsWrite,
    ]

    /// Permissions over all tenants.
    package static let platformScoped: [Permission] = [.tenantsRead, .tenantsWrite]

    /// Every permission Yizhan knows.
    package static let all: [Permission] = tenantScoped + platformScoped

    private static let known: Set<String> = Set(all.map(\.rawValue))
}
