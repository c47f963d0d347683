/// `change_external_contact`: a member's external contacts (customers) changed (`FromUserName` is
/// `sys`). Changes made through the API are not called back.
public struct WeComExternalContactChange: Sendable, Equatable {
    /// `ChangeType`: `add_external_contact`, `add_half_external_contact`, `edit_external_contact`,
    /// `del_external_contact`, `del_follow_user`, `transfer_fail`, …
    public var changeType: String
    /// The member (`UserID`).
    public var userID: String
    /// The external contact (`ExternalUserID`).
    public var externalUserID: String
    /// `State`: the `state` of the contact-me link used to add the contact (add events).
    public var state: String?
    /// `WelcomeCode`: to send the welcome message with (add events).
    public var welcomeCode: String?
    /// `Source`: `DELETE_BY_TRANSFER` when a transfer removed the contact (`del_external_contact`).
    public var source: String?
    /// `FailReason`: `customer_refused` or `customer_limit_exceed` (`transfer_fail`).
    public var failReason: String?

    init(fields: [String: String]) {
        changeType = fields["ChangeType"] ?? ""
        userID = fields["UserID"] ?? ""
        externalUserID = fields["ExternalUserID"] ?? ""
        state = fields["State"]
        welcomeCode = fields["WelcomeCode"]
        source = fields["Source"]
        failReason = fields["FailReason"]
    }
}
