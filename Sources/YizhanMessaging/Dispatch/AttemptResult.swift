import ProviderKitSupport

/// How one dispatch attempt ended for the recipients it reached.
enum AttemptResult: Sendable {
    /// Every recipient has its final status.
    case done
    /// Some are still pending: try again after the backoff (nothing was done for them, or what was
    /// may be repeated safely with the same dedupe key).
    case retry(reason: String, providerCode: Int?)
    /// The provider limits the app's rate: wait `after` without counting the attempt as failed.
    case rateLimited(after: Duration, providerCode: Int?)

    var outcome: String {
        switch self {
        case .done: "done"
        case .retry: "retry"
        case .rateLimited: "rate_limited"
        }
    }
}

/// What a provider's failure means for a pending recipient.
enum RecipientFailure {
    /// The recipient fails with the provider's code and message.
    case fail
    /// Stop this attempt and try again later.
    case retry
    /// Stop and wait the provider's reset.
    case wait(Duration)
    /// The send may have happened: retry only with the same dedupe key inside its window.
    case maybeDelivered

    init(_ category: ProviderErrorCategory) {
        switch category {
        case .permanent, .authentication: self = .fail
        case .rateLimited(let after): self = .wait(after ?? .seconds(1))
        case .retryable: self = .retry
        case .maybeDelivered: self = .maybeDelivered
        }
    }
}
