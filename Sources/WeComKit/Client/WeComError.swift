import ProviderKitSupport

/// A failed WeCom API call, sorted into what the caller can do about it. Keeps `errcode` and
/// `errmsg`; never contains the secret or a token.
public struct WeComError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What the caller can do; shared by every kit.
    public typealias Category = ProviderErrorCategory

    /// What the caller can do: give up, wait, send again, send again only with a dedupe key, or refresh the token.
    public var category: Category
    /// WeCom's `errcode` (0 when WeCom did not answer with one).
    public var errcode: Int
    /// WeCom's `errmsg` (with its `hint`), or what went wrong on the way.
    public var errmsg: String
    /// The HTTP status, when there was an answer.
    public var httpStatus: Int?

    /// - Parameters:
    ///   - category: What the caller can do.
    ///   - errcode: WeCom's `errcode`, or 0.
    ///   - errmsg: WeCom's `errmsg`, or what went wrong; never a secret.
    ///   - httpStatus: The HTTP status, when there was an answer.
    public init(category: Category, errcode: Int, errmsg: String, httpStatus: Int? = nil) {
        self.category = category
        self.errcode = errcode
        self.errmsg = errmsg
        self.httpStatus = httpStatus
    }

    /// How long 45009 ("api freq out of limit") blocks. WeCom's "访问频率限制" page
    /// (developer.work.weixin.qq.com/document/path/90454) gives per-minute and per-hour limits
    /// (10,000/min and 150,000/h per corp and API; a robot: 20/min) and says a per-minute breach
    /// blocks 60 seconds and a per-hour breach 60 minutes. The answer does not say which window
    /// was hit, so this is the minute block; a 45009 again after it means the hour window, and the
    /// page adds that a breach of a daily limit blocks for the rest of the natural day (Asia/Shanghai).
    /// `message/send` has its own daily quota (the account limit × 200 person-sends per app), so a
    /// 45009 from a send that persists past the hour is most likely that day's block.
    public static let frequencyBlock: Duration = .seconds(60)
    /// How long to wait after 45033 ("api concurrent out of limit"): a concurrency limit, with no
    /// block in the docs, so it clears as calls in flight finish. UNCERTAIN: one second is ours.
    public static let concurrencyBlock: Duration = .seconds(1)

    /// Sorts an answer that carries a non-zero `errcode`.
    /// - Parameter idempotent: Whether doing the call twice is harmless; a send answered with a
    ///   5xx and a code WeCom does not document as "nothing done" may have gone out.
    static func classify(errcode: Int, errmsg: String, status: Int, idempotent: Bool = true) -> WeComError {
        let category: Category =
            switch errcode {
            case 40014, 42001, 40001: .authentication
            case 45009: .rateLimited(retryAfter: frequencyBlock)
            case 45033: .rateLimited(retryAfter: concurrencyBlock)
            // -1 is "system busy": WeCom says it did nothing and to try again.
            case -1: .retryable
            default:
                if status == 429 { .rateLimited(retryAfter: nil) }
                else if status >= 500 { idempotent ? .retryable : .maybeDelivered }
                else { .permanent }
            }
        return WeComError(category: category, errcode: errcode, errmsg: errmsg, httpStatus: status)
    }

    public var description: String {
        "WeComError(\(category), errcode: \(errcode), errmsg: \(errmsg)\(httpStatus.map { ", http: \($0)" } ?? ""))"
    }
}
