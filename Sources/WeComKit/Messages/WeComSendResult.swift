/// What `message/send` answered: the message ids and the recipients it could not reach.
///
/// A send to more recipients than one request takes (``WeComRecipients/maximumUsers`` members,
/// ``WeComRecipients/maximumParties`` departments, ``WeComRecipients/maximumTags`` tags) is
/// several requests; this is all of them merged.
public struct WeComSendResult: Sendable, Equatable {
    /// The first accepted request's `msgid` (for `message/recall`).
    public var messageID: String?
    /// Every accepted request's `msgid`, in the order sent: one for a send that fits one request.
    public var messageIDs: [String]
    /// Members WeCom did not know or the app may not reach (`invaliduser`, lower-cased by WeCom).
    public var invalidUsers: [String]
    /// Departments likewise (`invalidparty`).
    public var invalidParties: [String]
    /// Tags likewise (`invalidtag`).
    public var invalidTags: [String]
    /// Members without an API licence, who get nothing (`unlicenseduser`).
    public var unlicensedUsers: [String]
    /// Requests of a split send that failed after an earlier one was accepted, each with its
    /// recipients and its error; see ``WeComClient/send(_:to:safe:duplicateCheckInterval:)``.
    public var failures: [WeComSendFailure]

    init(
        messageID: String? = nil, messageIDs: [String] = [], invalidUsers: [String] = [], invalidParties: [String] = [],
        invalidTags: [String] = [], unlicensedUsers: [String] = [], failures: [WeComSendFailure] = []
    ) {
        self.messageID = messageID
        self.messageIDs = messageIDs
        self.invalidUsers = invalidUsers
        self.invalidParties = invalidParties
        self.invalidTags = invalidTags
        self.unlicensedUsers = unlicensedUsers
        self.failures = failures
    }

    /// Whether every recipient was valid, licensed and sent to.
    public var reachedEveryone: Bool {
        invalidUsers.isEmpty && invalidParties.isEmpty && invalidTags.isEmpty && unlicensedUsers.isEmpty && failures.isEmpty
    }

    /// Adds one request's answer.
    mutating func merge(_ answer: WeComSendResult) {
        if messageID == nil { messageID = answer.messageID }
        messageIDs += answer.messageIDs
        invalidUsers += answer.invalidUsers
        invalidParties += answer.invalidParties
        invalidTags += answer.invalidTags
        unlicensedUsers += answer.unlicensedUsers
    }
}

/// One request of a split send that failed.
public struct WeComSendFailure: Sendable, Equatable {
    /// The recipients that request carried: none of them got the message, unless the error is
    /// ``ProviderErrorCategory/maybeDelivered``.
    public var recipients: WeComRecipients
    /// Why; its ``WeComError/category`` says whether and when to send to these recipients again.
    public var error: WeComError
}
