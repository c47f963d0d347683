/// A failed WeCom API call, sorted into what the caller can do about it. Keeps `errcode` and
/// `errmsg`; never contains the secret or a token.
public struct WeComError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What the caller can do.
    public enum Category: Sendable, Equatable {
        /// 40014, 42001, 40001: refresh the token and retry once (the client does this itself).
        case tokenInvalid
        /// 45009 (frequency) or 45033 (concurrency).
        case rateLimited
        /// -1 (system busy), 5xx, network failures and timeouts.
        case retryable
        /// Anything else: 81013 (no valid recipient), 301002, 45002 …
        case permanent
    }

    public var category: Category
    public var errcode: Int
    public var errmsg: String
    public var httpStatus: Int?

    public init(category: Category, errcode: Int, errmsg: String, httpStatus: Int? = nil) {
        self.category = category
        self.errcode = errcode
        self.errmsg = errmsg
        self.httpStatus = httpStatus
    }

    static func classify(errcode: Int, errmsg: String, status: Int) -> WeComError {
        let category: Category =
            switch errcode {
            case 40014, 42001, 40001: .tokenInvalid
            case 45009, 45033: .rateLimited
            case -1: .retryable
            default: status >= 500 ? .retryable : .permanent
            }
        return WeComError(category: category, errcode: errcode, errmsg: errmsg, httpStatus: status)
    }

    public var description: String { "WeComError(\(category), errcode: \(errcode), errmsg: \(errmsg))" }
}
