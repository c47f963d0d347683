import Foundation
import ProviderKitSupport

/// A failed Lark API call, sorted into what the caller can do about it. Keeps the provider's
/// `code`, `msg` and its support details (`log_id`, troubleshooter link, field and permission
/// violations); never contains a secret or a token.
public struct LarkError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What the caller can do; shared by every kit.
    public typealias Category = ProviderErrorCategory

    /// What the caller can do: give up, wait, send again, send again only with a dedupe key, or refresh the token.
    public var category: Category
    /// Lark's `code` (0 when the failure was not an answer from Lark, e.g. a network error).
    public var code: Int
    /// Lark's `msg`, or what went wrong on the way.
    public var message: String
    /// The HTTP status, when there was an answer.
    public var httpStatus: Int?
    /// Lark's `error.log_id` (or the `X-Tt-Logid` header, else `X-Request-Id`): quote it in a support ticket.
    public var logID: String?
    /// Lark's `error.troubleshooter`: a link to the diagnosis of this failure.
    public var troubleshooter: String?
    /// Lark's `error.field_violations` and `error.permission_violations`, one line each.
    public var details: [String]

    /// - Parameters:
    ///   - category: What the caller can do.
    ///   - code: Lark's `code`, or 0 when Lark did not answer.
    ///   - message: Lark's `msg`, or what went wrong; never a secret.
    ///   - httpStatus: The HTTP status, when there was an answer.
    ///   - logID: Lark's log id, for support tickets.
    ///   - troubleshooter: Lark's diagnosis link.
    ///   - details: Lark's violations, one line each.
    public init(
        category: Category, code: Int, message: String, httpStatus: Int? = nil, logID: String? = nil,
        troubleshooter: String? = nil, details: [String] = []
    ) {
        self.category = category
        self.code = code
        self.message = message
        self.httpStatus = httpStatus
        self.logID = logID
        self.troubleshooter = troubleshooter
        self.details = details
    }

    /// Token codes after which the SDKs refresh the token and retry once.
    static let tokenCodes: Set<Int> = [99991661, 99991663, 99991664, 99991665, 99991668, 99991671, 99991677]
    /// Message-system throttling codes, answered like rate limits.
    static let throttleCodes: Set<Int> = [99991400, 11232, 11233, 11247, 230020]
    /// How long 230020 (a user's or chat's 5 messages a second) blocks when Lark sends no
    /// `x-ogw-ratelimit-reset`: the limit is per second, so one second.
    public static let recipientThrottleBlock: Duration = .seconds(1)

    /// "The message is being sent" (230049) and "the same create request is being processed"
    /// (18121): what a quick retry with the same `uuid` can meet while the first send is still in
    /// flight. The message may well go out: retry later with the same uuid only.
    static let inFlightCodes: Set<Int> = [230049, 18121]
    /// Lark's generic "internal error, please retry later" codes (the server error table): they do
    /// not say whether a send was done.
    static let internalErrorCodes: Set<Int> = [1500, 1663, 1668, 2200, 5000, 10101, 10105]
    /// 99991403: the tenant's monthly API call quota is used up.
    static let monthlyQuotaCode = 99991403
    /// How long to wait after 99991403. UNCERTAIN: the quota resets with the month, which the answer
    /// does not date; an hour keeps a pipeline from hammering while an operator raises the quota.
    public static let monthlyQuotaBlock: Duration = .seconds(3600)

    /// Sorts an answer from Lark that carries a `code`.
    /// - Parameter idempotent: Whether doing the call twice is harmless; for a send, an answer that
    ///   does not say the message was not created is "maybe delivered".
    static func classify(status: Int, code: Int, message: String, rateLimitReset: Int?, idempotent: Bool = true) -> LarkError {
        let category: Category
        if status == 429 || throttleCodes.contains(code) {
            let reset = rateLimitReset.map { Duration.seconds($0) }
            category = .rateLimited(retryAfter: reset ?? (code == 230020 ? recipientThrottleBlock : nil))
        } else if code == monthlyQuotaCode {
            category = .rateLimited(retryAfter: monthlyQuotaBlock)
        } else if tokenCodes.contains(code) {
            category = .authentication
        } else if inFlightCodes.contains(code) {
            category = idempotent ? .retryable : .maybeDelivered
        } else if status >= 500 || internalErrorCodes.contains(code) {
            // Lark's internal errors do not say the call was not done: a send may have gone out.
            category = idempotent ? .retryable : .maybeDelivered
        } else {
            category = .permanent
        }
        return LarkError(category: category, code: code, message: message, httpStatus: status)
    }

    public var description: String {
        var text = "LarkError(\(category), code: \(code), message: \(message)"
        if let httpStatus { text += ", http: \(httpStatus)" }
        if let logID { text += ", log_id: \(logID)" }
        if !details.isEmpty { text += ", details: \(details.joined(separator: "; "))" }
        return text + ")"
    }
}
