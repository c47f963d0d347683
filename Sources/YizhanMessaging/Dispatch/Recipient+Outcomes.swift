import Foundation

extension Recipient {
    /// The provider accepted it.
    mutating func sent(providerMessageID: String?) {
        status = .sent
        providerCode = nil
        reason = nil
        self.providerMessageID = providerMessageID
    }

    /// The provider refused it: `failed`, unless an earlier attempt's send may have reached them
    /// (then `unknown`: the refusal may be the provider's answer to the repeat).
    mutating func refused(code: Int?, reason: String, startedNow: Bool) {
        status = attemptedAt != nil && !startedNow ? .unknown : .failed
        providerCode = code
        self.reason = status == .unknown ? "an earlier send may have reached them; then: \(reason)" : reason
    }

    /// The provider did nothing: a send this attempt started is not started after all.
    mutating func untouched(startedNow: Bool) {
        if startedNow { attemptedAt = nil }
    }

    /// The send may have gone out: it stays pending, to be repeated with the same dedupe key only.
    mutating func maybeDelivered(code: Int?, reason: String) {
        providerCode = code
        self.reason = "maybe delivered (\(reason)); retried with the same dedupe key"
    }

    /// No more attempts: `unknown` if a send to it was started, else `failed`.
    mutating func giveUp(code: Int?, reason: String) {
        guard status == .pending else { return }
        status = attemptedAt == nil ? .failed : .unknown
        providerCode = code
        self.reason = reason
    }

    /// Whether a send started more than `window` ago may no longer be repeated safely.
    func windowClosed(at now: Date, window: TimeInterval) -> Bool {
        attemptedAt.map { now.timeIntervalSince($0) > window } ?? false
    }
}
