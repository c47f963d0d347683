/// A group chat as `im/v1/chats` answers it (the fields Yizhan uses; Lark sends more).
public struct LarkChat: Sendable, Equatable, Decodable {
    /// `oc_…`
    public var chatID: String
    public var name: String?
    public var description: String?
    /// The owner's id, of ``ownerIDType`` (`open_id`, `user_id`, `union_id` or `app_id` for a bot).
    public var ownerID: String?
    public var ownerIDType: String?
    /// `group`, `topic` …
    public var chatMode: String?
    /// `private` or `public`.
    public var chatType: String?
    /// Whether members from other tenants may join.
    public var external: Bool?
    public var tenantKey: String?

    enum CodingKeys: String, CodingKey {
        case name, description, external
        case chatID = "chat_id"
        case ownerID = "owner_id"
        case ownerIDType = "owner_id_type"
        case chatMode = "chat_mode"
        case chatType = "chat_type"
        case tenantKey = "tenant_key"
    }
}
