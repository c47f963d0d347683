import YizhanStorage

/// Turns role names into permissions: built-in roles from ``BuiltInRole``, the rest from the
/// tenant's custom roles. Unknown names grant nothing.
public struct PermissionResolver: Sendable {
    private let roles: RoleStore

    public init(database: any Database) {
        self.roles = RoleStore(database: database)
    }

    /// The union of the permissions of `names` in the tenant. Platform roles count only in the
    /// platform tenant, whatever is stored.
    public func permissions(of names: [String], in tenant: Tenant) async throws -> Set<Permission> {
        var permissions: Set<Permission> = []
        var custom: [String] = []
        for name in names {
            if let builtIn = BuiltInRole(rawValue: name) {
                if builtIn.isPlatformOnly && !tenant.isPlatform { continue }
                permissions.formUnion(builtIn.permissions)
            } else {
                custom.append(name)
            }
        }
        for role in try await roles.roles(named: custom, tenantID: tenant.id) {
            permissions.formUnion(role.permissions.filter { Permission.tenantScoped.contains($0) })
        }
        return permissions
    }
}
