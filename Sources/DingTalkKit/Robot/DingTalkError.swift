import ProviderKitSupport

/// A failed robot send, sorted into what the caller can do. Keeps `errcode` and `errmsg`; never
/// contains the access token or the secret.
public struct DingTalkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What the caller can do; shared by every kit. A robot has no token to refresh, so a
    /// DingTalk error is never ``ProviderErrorCategory/authentication``.
    public typealias Category = ProviderErrorCategory

    /// What the caller can do: give up, wait, send again, or report the send as maybe delivered.
    public var category: Category
    /// DingTalk's `errcode` (0 when DingTalk did not answer with one).
    public var errcode: Int
    /// DingTalk's `errmsg`, or what went wrong on the way.
    public var errmsg: String
    /// The HTTP status, when there was an answer.
    public var httpStatus: Int?

    /// - Parameters:
    ///   - category: What the caller can do.
    ///   - errcode: DingTalk's `errcode`, or 0.
    ///   - errmsg: DingTalk's `errmsg`, or what went wrong; never a secret.
    ///   - httpStatus: The HTTP status, when there was an answer.
    public init(category: Category, errcode: Int, errmsg: String, httpStatus: Int? = nil) {
        self.category = category
        self.errcode = errcode
        self.errmsg = errmsg
        self.httpStatus = httpStatus
    }

    /// 310000: a security setting of the robot (signature, IP allowlist, keywords) refused the send.
    public static let securityCheckFailed = 310000

    /// Which security setting refused the send, for a 310000 whose `errmsg` names one; nil for
    /// every other error. See ``DingTalkSecuritySetting`` for how far each refusal reaches.
    public var refusedBy: DingTalkSecuritySetting? {
        errcode == Self.securityCheckFailed ? DingTalkSecuritySetting(errmsg: errmsg) : nil
    }

    /// 130101: the robot sent more than 20 messages in a minute. DingTalk's custom robot docs
    /// say it is then throttled for 10 minutes.
    public static let sendingTooFast = 130101
    /// How long 130101 blocks the robot.
    public static let throttleBlock: Duration = .seconds(600)

    /// 410100: "sending too fast, throttled". UNCERTAIN: third-party clients treat it like 130101;
    /// DingTalk's current robot error table was not at hand, so it blocks as 130101 does.
    public static let throttled = 410100
    /// How long 90030 (the webhook's usage quota is used up) blocks. UNCERTAIN: a quota, not a
    /// rate, so retrying within seconds only fails again; an hour is ours.
    public static let quotaBlock: Duration = .seconds(3600)

    /// Sorts an answer that carries a non-zero `errcode`: 130101 and 410100 (too fast) and 90030
    /// (quota) are rate limits; -1 (system busy) is retryable; a 429 is a rate limit whatever its
    /// code; 310000 (a security setting refused it: ``refusedBy``), 300001 (unknown token) and
    /// anything else are permanent, except a 5xx, which may have sent (a robot send has no dedupe key).
    static func classify(errcode: Int, errmsg: String, status: Int) -> DingTalkError {
        let category: Category =
            switch errcode {
            case sendingTooFast, throttled: .rateLimited(retryAfter: throttleBlock)
            case 90030: .rateLimited(retryAfter: quotaBlock)
            case -1: .retryable
            default:
                if status == 429 { .rateLimited(retryAfter: nil) }
                else if status >= 500 { .maybeDelivered }
                else { .permanent }
            }
        return DingTalkError(category: category, errcode: errcode, errmsg: errmsg, httpStatus: status)
    }

    public var description: String {
        "DingTalkError(\(category), errcode: \(errcode), errmsg: \(errmsg)\(httpStatus.map { ", http: \($0)" } ?? ""))"
    }
}
