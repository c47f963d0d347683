import LarkKit
import YizhanCore

extension YizhanError {
    /// `PROVIDER_ERROR` for a provider call that failed: 502 when the provider refused it, 503
    /// (with `Retry-After` when the provider said how long) when it did not answer, failed for now,
    /// or limited the app's rate. The provider's parsed code and message, never its raw body.
    /// - Parameter retryAfter: When to try again, if the provider did not say (a call that got no
    ///   answer in time).
    static func providerFailure(
        _ provider: String, code: Int, message: String, category: ProviderErrorCategory, logID: String? = nil, retryAfter: Duration? = nil
    ) -> YizhanError {
        var details: [String: JSONValue] = ["provider_code": .int(code), "category": .string(category.name)]
        if let logID { details["log_id"] = .string(logID) }
        var headers: [String: String] = [:]
        if let retryAfter = category.retryAfter ?? retryAfter {
            // Whole seconds, rounded up, at least one.
            var seconds: Int64 = retryAfter.components.seconds
            if retryAfter.components.attoseconds > 0 { seconds += 1 }
            headers["Retry-After"] = "\(Swift.max(seconds, 1))"
        }
        let temporary: Bool =
            switch category {
            case .retryable, .rateLimited: true
            case .permanent, .maybeDelivered, .authentication: false
            }
        let said = code == 0 ? "\(provider) gave no usable answer" : "\(provider) answered code \(code)"
        return YizhanError(.providerError, "\(said): \(message)", details: details, headers: headers, status: temporary ? 503 : 502)
    }
}

extension ProviderErrorCategory {
    /// The category's name without its parameters, for error details.
    var name: String {
        switch self {
        case .permanent: "permanent"
        case .rateLimited: "rate_limited"
        case .retryable: "retryable"
        case .maybeDelivered: "maybe_delivered"
        case .authentication: "authentication"
        }
    }
}
