import YizhanStorage

/// Turns role names into permissions: built-in roles from ``BuiltInRole``, the rest from the
/// tenant's custom roles. Unknown names grant nothing.
struct PermissionResolver: Sendable {
    private let roles = RoleStore()

    /// The union of the permissions of `names` in the tenant. Platform roles count only in the
    /// platform tenant, whatever is stored.
    func permissions(of names: [String], in tenant: Tenant, in work: UnitOfWork) async throws -> Set<Permission> {
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
        for role in try await roles.roles(named: custom, tenantID: tenant.id, in: work) {
            permissions.formUnion(role.permissions.filter { Permission.tenantScoped.contains($0) })
        }
        return permissions
    }
}
