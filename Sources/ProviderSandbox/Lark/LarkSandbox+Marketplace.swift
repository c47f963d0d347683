import Foundation

extension LarkSandbox {
    /// How long a pushed `app_ticket` buys app tokens. Not documented (UNCERTAIN); the Go SDK
    /// caches tickets for 12 h, so the sandbox honours each for 12 h.
    static let appTicketLifetime: TimeInterval = 12 * 3600

    /// `app_ticket/resend`: a new ticket for a marketplace app, to push to its event URL; 10016 for
    /// a self-built app.
    func issueAppTicket(appID: String, appSecret: String) throws(LarkAPIError) -> (app: LarkSandboxApp, ticket: String) {
        guard let app = apps[appID] else { throw .invalidCredentials }
        guard app.appSecret == appSecret else { throw .wrongSecret }
        guard app.marketplace == true else { throw .resendRefused }
        let ticket = UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased()
        let now = clock.now()
        appTickets[appID, default: []].removeAll { $0.expiresAt <= now }
        appTickets[appID, default: []].append((ticket, now.addingTimeInterval(Self.appTicketLifetime)))
        return (app, ticket)
    }

    /// `POST /open-apis/auth/v3/app_access_token`: an `a-` token for a ticket pushed within 12 h;
    /// 10012 for any other ticket (and for self-built apps, which have none).
    func marketplaceAppToken(appID: String, appSecret: String, appTicket: String) throws(LarkAPIError) -> (token: String, expire: Int) {
        guard let app = apps[appID] else { throw .invalidCredentials }
        guard app.appSecret == appSecret else { throw .wrongSecret }
        let now = clock.now()
        guard appTickets[appID]?.contains(where: { $0.ticket == appTicket && $0.expiresAt > now }) == true else {
            throw .appTicketInvalid
        }
        return issueToken(slot: "app|" + appID, appID: appID, kind: .app)
    }

    /// `POST /open-apis/auth/v3/tenant_access_token`: the tenant token of a tenant that installed the
    /// app; 99991664 for a bad app token, 10013 for a tenant that did not.
    func marketplaceTenantToken(appAccessToken: String, tenantKey: String) throws(LarkAPIError) -> (token: String, expire: Int) {
        guard let issued = validToken(appAccessToken, kind: .app), let app = apps[issued.appID] else { throw .invalidAppToken }
        guard (app.tenantKeys ?? ["sandbox"]).contains(tenantKey) else { throw .tenantTokenFailed }
        return issueToken(slot: issued.appID + "|" + tenantKey, appID: issued.appID, kind: .tenant)
    }
}
