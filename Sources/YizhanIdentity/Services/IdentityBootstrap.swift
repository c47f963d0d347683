import YizhanCore
import YizhanStorage

/// Creates the platform tenant and its first administrator on an empty database.
package enum IdentityBootstrap {
    /// The administrator's email when none is configured.
    package static let defaultAdminEmail = "admin@yizhan.local"

    /// What the bootstrap did.
    package enum Outcome: Sendable, Equatable {
        /// The platform tenant existed already.
        case alreadyDone
        /// Created; `generatedPassword` is set when no password was configured (show it once).
        case created(email: String, generatedPassword: String?)
    }

    /// Creates the `platform` tenant and an admin holding `platform_admin` and `owner`, unless the
    /// tenant exists. Safe when several processes start at once: one creates, the others find it.
    package static func run(_ identity: Identity, adminEmail: String?, adminPassword: String?) async throws -> Outcome {
        if try await identity.tenants.tenant(code: Tenant.platformCode) != nil { return .alreadyDone }
        let email = adminEmail ?? defaultAdminEmail
        let generated = adminPassword == nil ? OpaqueSecret.random(bytes: 18) : nil
        do {
            _ = try await identity.tenants.create(
                code: Tenant.platformCode, name: "Platform", quotas: TenantQuotas(),
                owner: .init(email: email, password: adminPassword ?? generated!, name: "Platform administrator"),
                ownerRoles: [BuiltInRole.platformAdmin.rawValue, BuiltInRole.owner.rawValue])
        } catch let error as YizhanError where error.code == .conflict {
            return .alreadyDone
        } catch let error as DatabaseError where error.code == .uniqueViolation {
            return .alreadyDone  // another process inserted it between our check and our insert
        }
        return .created(email: email, generatedPassword: generated)
    }
}
