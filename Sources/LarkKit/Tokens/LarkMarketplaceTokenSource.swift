import AsyncHTTPClient
import Foundation
import ProviderKitSupport

/// Tenant tokens of one tenant for a marketplace app: the pushed `app_ticket` buys an app token
/// (cached), which buys the tenant's token (cached). Without a ticket, or when Lark calls it
/// invalid (10012), it asks Lark to resend one (at most once per `resendInterval`) and fails with a
/// retryable error until it arrives.
///
/// ```swift
/// let tickets = InMemoryLarkAppTicketStore()  // fed by the event receiver
/// let tokens = LarkMarketplaceTokenSource(configuration: config, tenantKey: "736588c9260f175d", tickets: tickets)
/// let client = LarkClient(configuration: config, tokens: tokens)
/// ```
public struct LarkMarketplaceTokenSource: TokenSource {
    private let tenantTokens: LarkTenantTokenCache
    private let appTokens: SharedTokenCache<LarkError>

    /// - Parameters:
    ///   - configuration: The marketplace app.
    ///   - tenantKey: The tenant whose tokens to hand out.
    ///   - tickets: Where pushed tickets are kept.
    ///   - resendInterval: The least time between two `app_ticket` resend requests.
    ///   - httpClient: The HTTP client to call with.
    ///   - now: The clock (tests inject one).
    public init(
        configuration: LarkClient.Configuration, tenantKey: String, tickets: any LarkAppTicketStore,
        resendInterval: Duration = .seconds(60), httpClient: HTTPClient = .shared, now: @escaping @Sendable () -> Date = Date.init
    ) {
        let api = LarkAppTokens(configuration: configuration, httpClient: httpClient)
        let throttle = LarkTicketResendThrottle(interval: resendInterval, now: now)
        let appTokens = SharedTokenCache<LarkError>(
            now: now, wrap: { _ in LarkError(category: .retryable, code: 0, message: "app token fetch failed") },
            fetch: { () async throws(LarkError) in
                guard let ticket = await tickets.current else {
                    if await throttle.admit() { try await api.resendAppTicket() }
                    throw LarkError(category: .retryable, code: LarkAppTokens.appTicketInvalid, message: "no app_ticket yet: a resend was requested")
                }
                do throws(LarkError) {
                    return try await api.marketplaceAppToken(appTicket: ticket)
                } catch where error.code == LarkAppTokens.appTicketInvalid {
                    await tickets.invalidate(ticket)
                    if await throttle.admit() { try await api.resendAppTicket() }
                    throw LarkError(category: .retryable, code: error.code, message: "the app_ticket was refused: a resend was requested")
                }
            })
        self.appTokens = appTokens
        self.tenantTokens = LarkTenantTokenCache(now: now) { () async throws(LarkError) in
            let appToken = try await appTokens.token()
            do throws(LarkError) {
                return try await api.marketplaceTenantToken(appAccessToken: appToken, tenantKey: tenantKey)
            } catch where [99991664, 10012].contains(error.code) {
                // The app token went stale: fetch a new one and try once more.
                await appTokens.invalidate(appToken)
                return try await api.marketplaceTenantToken(appAccessToken: try await appTokens.token(), tenantKey: tenantKey)
            }
        }
    }

    /// The tenant's token, fetched through the app token when none is cached.
    public func token() async throws(LarkError) -> String { try await tenantTokens.token() }

    /// Forgets a tenant token Lark refused.
    public func invalidate(_ token: String) async { await tenantTokens.invalidate(token) }
}
