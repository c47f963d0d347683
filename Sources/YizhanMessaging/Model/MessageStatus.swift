/// Where a message stands. `sent` means the provider accepted it for every recipient, never more.
package enum MessageStatus: String, Sendable, CaseIterable, Codable {
    case scheduled, pending, sending, sent
    case partiallyFailed = "partially_failed"
    case failed, cancelled

    /// Whether nothing more happens to it.
    package var isFinal: Bool { [.sent, .partiallyFailed, .failed, .cancelled].contains(self) }

    /// The status of a message whose recipients all ended as `statuses`.
    static func ending(_ statuses: [RecipientStatus]) -> MessageStatus {
        let reached = statuses.filter { $0 == .sent || $0 == .read }.count
        if reached == statuses.count { return .sent }
        return reached == 0 && !statuses.contains(.unknown) ? .failed : .partiallyFailed
    }
}

/// Where one recipient of a message stands.
package enum RecipientStatus: String, Sendable, CaseIterable, Codable {
    case pending, sent, failed
    /// The send may or may not have reached them, and Yizhan cannot find out without risking a copy.
    case unknown
    case read
}
