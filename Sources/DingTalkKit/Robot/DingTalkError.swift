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

    /// 130101: the robot sent more than 20 messages in a minute. DingTalk's custom robot docs
    /// say it is then throttled for 10 minutes.
    public static let sendingTooFast = 130101
    /// How long 130101 blocks the robot.
    public static let throttleBlock: Duration = .seconds(600)

    /// Sorts an answer that carries a non-zero `errcode`: 130101 and 90030 (quota) are rate
    /// limits; -1 (system busy) is retryable; 310000 (signature, keyword or IP check failed),
    /// 300001 (unknown token) and anything else are permanent.
    static func classify(errcode: Int, errmsg: String, status: Int) -> DingTalkError {
        let category: Category =
            switch errcode {
            case sendingTooFast: .rateLimited(retryAfter: throttleBlock)
            case 90030: .rateLimited(retryAfter: nil)
            case -1: .retryable
            default: status >= 500 ? .retryable : .permanent
            }
        return DingTalkError(category: category, errcode: errcode, errmsg: errmsg, httpStatus: status)
    }

    public var description: String {
        "DingTalkError(\(category), errcode: \(errcode), errmsg: \(errmsg)\(httpStatus.map { ", http: \($0)" } ?? ""))"
    }
}
