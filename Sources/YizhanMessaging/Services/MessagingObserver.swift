import YizhanCredentials

/// What the messaging layer tells about the messages it accepts and sends, for metrics; the
/// composition root supplies one (`Messaging(…, observer:)`).
package protocol MessagingObserver: Sendable {
    /// `count` messages through apps of `provider` were queued.
    func accepted(_ provider: AppProvider, count: Int)
    /// A dispatch attempt ended a recipient as `status` (`sent`, `failed`, `unknown`).
    func ended(_ provider: AppProvider, _ status: RecipientStatus)
    /// A dispatch attempt waited for the provider's rate limit to reset.
    func rateLimited(_ provider: AppProvider)
}
