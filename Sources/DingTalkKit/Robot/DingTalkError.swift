/// A failed robot send, sorted into what the caller can do. Keeps `errcode` and `errmsg`; never
/// contains the access token or the secret.
public struct DingTalkError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Category: Sendable, Equatable {
        /// 130101 (sending too fast; the robot is throttled for 10 minutes) or 90030 (quota).
        case rateLimited
        /// 5xx, network failures and timeouts.
        case retryable
        /// 310000 (signature, keyword or IP check failed), 300001 (unknown token) and anything else.
        case permanent
    }

    public var category: Category
    public var errcode: Int
    public var errmsg: String

    public init(category: Category, errcode: Int, errmsg: String) {
        self.category = category
        self.errcode = errcode
        self.errmsg = errmsg
    }

    public var description: String { "DingTalkError(\(category), errcode: \(errcode), errmsg: \(errmsg))" }
}
