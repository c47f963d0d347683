import AsyncHTTPClient
import Logging
import YizhanCore
import YizhanIdentity
import YizhanStorage

/// The credentials layer, wired once per process: provider apps and robots with their sealed
/// secrets, and the token pool that serves every provider call. Callers go through its services.
package final class Credentials: Sendable {
    package let apps: AppService
    package let tokens: TokenPool
    package let verifier: AppVerifier
    /// The marketplace apps' app_tickets.
    package let tickets: AppTicketService
    /// Lark users' authorizations (their OAuth tokens).
    package let larkUsers: LarkUserAuthorizations
    /// People in a Lark or WeCom app's directory, by email or mobile, cached per app.
    package let contacts: ContactDirectory
    /// Seals every stored secret again under the first master key (`yizhan keys rotate`).
    package let keyRotation: KeyRotation

    /// - Parameters:
    ///   - vault: Seals and opens app secrets and stored tokens; nil when no master key is
    ///     configured (then registering an app is `MASTER_KEY_MISSING`).
    ///   - tokenPool: How the pool refreshes and waits.
    ///   - egress: Where apps may send provider calls (checked at registration and before each call).
    ///   - httpClient: What provider calls are sent with (by default one that follows no redirect).
    ///   - logger: Where the pool logs a failed fetch.
    ///   - tokenObserver: Counts the pool's hits, waits, fetches and failures (the server's metrics).
    ///   - contactTimeToLive: How long a person found in an app's directory is kept.
    ///   - contactMissTimeToLive: How long the provider's "nobody has this email or mobile" is kept.
    package init(
        database: any Database, identity: Identity, vault: SecretVault?, clock: any TimeSource = SystemTimeSource(),
        egress: ProviderEgressPolicy = .publicOnly, tokenPool: TokenPoolConfiguration = .init(), httpClient: HTTPClient = ProviderHTTP.client, logger: Logger = Logger(label: "yizhan.tokens"),
        tokenObserver: (any TokenPoolObserver)? = nil, contactTimeToLive: Duration = ContactDirectory.defaultTimeToLive,
        contactMissTimeToLive: Duration = ContactDirectory.defaultMissTimeToLive
    ) {
        // The pool reads apps through a service of its own; the one callers use tells the pool
        // when a change makes an app's tokens useless.
        let reader = AppService(database: database, clock: clock, audit: identity.audit, tenants: identity.tenants, vault: vault, egress: egress)
        let tokens = TokenPool(
            database: database, clock: clock, vault: vault, apps: reader, configuration: tokenPool, httpClient: httpClient, logger: logger,
            observer: tokenObserver)
        self.tokens = tokens
        self.verifier = AppVerifier(apps: reader, clock: clock, httpClient: httpClient, tokens: tokens)
        self.tickets = AppTicketService(database: database, audit: identity.audit, pool: tokens)
        self.larkUsers = LarkUserAuthorizations(database: database, audit: identity.audit, apps: reader, pool: tokens)
        self.contacts = ContactDirectory(database: database, clock: clock, apps: reader, tokens: tokens, timeToLive: contactTimeToLive, missTimeToLive: contactMissTimeToLive)
        self.keyRotation = KeyRotation(database: database, vault: vault)
        self.apps = AppService(
            database: database, clock: clock, audit: identity.audit, tenants: identity.tenants, vault: vault, egress: egress,
            forgetTokens: { tokens.forget(appID: $0) })
    }
}
