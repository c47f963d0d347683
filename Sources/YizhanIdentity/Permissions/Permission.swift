/// A named right, `resource:action`, that roles grant and operations require.
///
/// Permissions are plain strings on the wire (`users:read`); this type lists the ones Yizhan knows,
/// so a typo in a role or an operation is caught rather than silently granting nothing.
public struct Permission: RawRepresentable, Sendable, Hashable, Comparable, Codable, CustomStringConvertible {
    public let rawValue: String

    public init?(rawValue: String) {
        guard Self.known.contains(rawValue) else { return nil }
        self.rawValue = rawValue
    }

    private init(_ rawValue: String) { self.rawValue = rawValue }

    public var description: String { rawValue }
    public static func < (lhs: Permission, rhs: Permission) -> Bool { lhs.rawValue < rhs.rawValue }

    public init(from decoder: any Decoder) throws {
        let raw = try decoder.singleValueContainer().decode(String.self)
        guard let value = Permission(rawValue: raw) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "unknown permission '\(raw)'"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }

    // Within a tenant.
    public static let tenantRead = Permission("tenant:read")
    public static let usersRead = Permission("users:read")
    public static let usersWrite = Permission("users:write")
    public static let rolesRead = Permission("roles:read")
    public static let rolesWrite = Permission("roles:write")
    public static let apiKeysRead = Permission("api_keys:read")
    public static let apiKeysWrite = Permission("api_keys:write")
    public static let appsRead = Permission("apps:read")
    public static let appsWrite = Permission("apps:write")
    public static let accountsRead = Permission("accounts:read")
    public static let accountsWrite = Permission("accounts:write")
    public static let messagesRead = Permission("messages:read")
    public static let messagesSend = Permission("messages:send")
    public static let archiveRead = Permission("archive:read")
    public static let archiveExport = Permission("archive:export")
    public static let auditRead = Permission("audit:read")
    public static let alertsRead = Permission("alerts:read")
    public static let alertsWrite = Permission("alerts:write")

    // Across tenants: only the platform tenant's `platform_admin` role holds these.
    public static let tenantsRead = Permission("tenants:read")
    public static let tenantsWrite = Permission("tenants:write")

    /// Every permission that applies within one tenant.
    public static let tenantScoped: [Permission] = [
        .tenantRead, .usersRead, .usersWrite, .rolesRead, .rolesWrite, .apiKeysRead, .apiKeysWrite,
        .appsRead, .appsWrite, .accountsRead, .accountsWrite, .messagesRead, .messagesSend,
        .archiveRead, .archiveExport, .auditRead, .alertsRead, .alertsWrite,
    ]

    /// Permissions over all tenants.
    public static let platformScoped: [Permission] = [.tenantsRead, .tenantsWrite]

    /// Every permission Yizhan knows.
    public static let all: [Permission] = tenantScoped + platformScoped

    private static let known: Set<String> = Set(all.map(\.rawValue))
}
