/// What a failed provider call means for the caller: whether, when and how it may try again.
///
/// Every kit's error (`LarkError`, `WeComError`, `DingTalkError`) carries one, so a send pipeline
/// decides once for all providers:
///
/// ```swift
/// switch error.category {
/// case .permanent: markFailed()
/// case .rateLimited(let retryAfter): retry(after: retryAfter ?? backoff(attempt))  // exponential when unknown
/// case .retryable: retry()                                  // nothing was done
/// case .maybeDelivered: retryWithSameDedupeKey(orReportUnknown: ())
/// case .authentication: refreshTokenThenRetry()             // the clients do this once themselves
/// }
/// ```
public enum ProviderErrorCategory: Sendable, Hashable, CustomStringConvertible {
    /// Will fail again as it is: a bad recipient, no permission, content too long, bad credentials.
    case permanent
    /// The provider refused for rate. `retryAfter` is how long it blocks, when the provider says
    /// (a header) or documents it (a fixed block); nil when neither does.
    case rateLimited(retryAfter: Duration?)
    /// Nothing was done: the request never left (no connection), or the provider answered that it
    /// failed (system busy). Safe to send again as it is.
    case retryable
    /// The request may have been acted on but its answer was lost: a timeout after the request was
    /// written, a connection closed mid-answer, a 5xx from a gateway, an unreadable success answer.
    /// Send again only with the provider's dedupe key (Lark `uuid`, WeCom duplicate check), or
    /// report the outcome as unknown.
    case maybeDelivered
    /// The access token was refused (invalid, expired, revoked): fetch a new one and try again.
    /// The clients do this once themselves; a caller sees it only when the fresh token fails too.
    case authentication

    /// Whether this is ``rateLimited(retryAfter:)``, whatever the duration.
    public var isRateLimited: Bool {
        if case .rateLimited = self { return true }
        return false
    }

    /// The block of a ``rateLimited(retryAfter:)``; nil for every other category.
    public var retryAfter: Duration? {
        if case .rateLimited(let retryAfter) = self { return retryAfter }
        return nil
    }

    public var description: String {
        switch self {
        case .permanent: "permanent"
        case .rateLimited(let retryAfter): "rateLimited(retryAfter: \(retryAfter.map { "\($0)" } ?? "unknown"))"
        case .retryable: "retryable"
        case .maybeDelivered: "maybeDelivered"
        case .authentication: "authentication"
        }
    }
}
