import YizhanCore
import YizhanIdentity
import YizhanStorage

/// The credentials layer, wired once per process: provider apps and robots with their sealed
/// secrets (and, next, the token pool that serves every send). Callers go through its services.
package final class Credentials: Sendable {
    package let apps: AppService

    /// - Parameter vault: Seals and opens app secrets; nil when no master key is configured (then
    ///   registering an app is `MASTER_KEY_MISSING`).
    package init(database: any Database, identity: Identity, vault: SecretVault?, clock: any TimeSource = SystemTimeSource()) {
        self.apps = AppService(database: database, clock: clock, audit: identity.audit, tenants: identity.tenants, vault: vault)
    }
}
