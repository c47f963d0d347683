/// A legacy card callback (`card.action.trigger_v1`, sent to the app's "card request URL"): a flat
/// body, not an event envelope.
///
/// Fields as oapi-sdk-go's `larkcard.CardAction`: `open_id`, `user_id`, `union_id`,
/// `open_message_id`, `open_chat_id`, `tenant_key`, `token`, `timezone` and the same `action` as
/// ``LarkCardAction``. There is no event id: Lark does not retry these.
public struct LarkLegacyCardAction: Sendable, Decodable, Equatable {
    public var openID: String?
    public var userID: String?
    public var unionID: String?
    public var openMessageID: String?
    public var openChatID: String?
    public var tenantKey: String?
    /// The card update token (`c-…`), for updating the card later. Not the verification token.
    public var token: String?
    /// The user's time zone.
    public var timezone: String?
    public var action: LarkCardAction.Action

    enum CodingKeys: String, CodingKey {
        case token, timezone, action
        case openID = "open_id"
        case userID = "user_id"
        case unionID = "union_id"
        case openMessageID = "open_message_id"
        case openChatID = "open_chat_id"
        case tenantKey = "tenant_key"
    }
}
