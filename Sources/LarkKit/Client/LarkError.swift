/// A failed Lark API call, sorted into what the caller can do about it. Keeps the provider's
/// `code` and `msg`; never contains a secret or a token.
public struct LarkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What the caller can do.
    public enum Category: Sendable, Equatable {
        /// The token was invalid or expired: refresh it and retry once (the client does this itself).
        case tokenInvalid
        /// Rate limited; retry after `resetSeconds` when Lark says (`x-ogw-ratelimit-reset`).
        case rateLimited(resetSeconds: Int?)
        /// Worth retrying later: 5xx, network failure, timeout.
        case retryable
        /// Will fail again as is: bad recipient, no permission, content too long, bad credentials …
        case permanent
    }

    public var category: Category
    /// Lark's `code` (0 when the failure was not an answer from Lark, e.g. a network error).
    public var code: Int
    /// Lark's `msg`, or what went wrong on the way.
    public var message: String
    /// The HTTP status, when there was an answer.
    public var httpStatus: Int?

    public init(category: Category, code: Int, message: String, httpStatus: Int? = nil) {
        self.category = category
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
    }

    /// Token codes after which the SDKs refresh the token and retry once.
    static let tokenCodes: Set<Int> = [99991661, 99991663, 99991664, 99991665, 99991668, 99991671, 99991677]
    /// Message-system throttling codes, answered like rate limits.
    static let throttleCodes: Set<Int> = [99991400, 11232, 11233, 11247, 230020]

    /// Sorts an answer from Lark.
    static func classify(status: Int, code: Int, message: String, rateLimitReset: Int?) -> LarkError {
        let category: Category
        if status == 429 || throttleCodes.contains(code) {
            category = .rateLimited(resetSeconds: rateLimitReset)
        } else if tokenCodes.contains(code) {
            category = .tokenInvalid
        } else if status >= 500 {
            category = .retryable
        } else {
            category = .permanent
        }
        return LarkError(category: category, code: code, message: message, httpStatus: status)
    }

    public var description: String {
        "LarkError(\(category), code: \(code), message: \(message)\(httpStatus.map { ", http: \($0)" } ?? ""))"
    }
}
