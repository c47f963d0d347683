/// A user in a group chat, as `GET /open-apis/im/v1/chats/:chat_id/members` lists them (bots are not listed).
public struct LarkChatMember: Sendable, Equatable, Decodable {
    /// The id of the requested type.
    public var memberID: String
    public var memberIDType: String?
    public var name: String?
    public var tenantKey: String?

    enum CodingKeys: String, CodingKey {
        case name
        case memberID = "member_id"
        case memberIDType = "member_id_type"
        case tenantKey = "tenant_key"
    }
}

/// One page of a chat's members and how to get the next.
public struct LarkChatMemberPage: Sendable, Equatable, Decodable {
    public var members: [LarkChatMember]
    /// Pass to the next call while ``hasMore``.
    public var pageToken: String?
    public var hasMore: Bool
    /// How many users the chat has in all.
    public var total: Int?

    enum CodingKeys: String, CodingKey {
        case members = "items"
        case pageToken = "page_token"
        case hasMore = "has_more"
        case total = "member_total"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        members = try container.decodeIfPresent([LarkChatMember].self, forKey: .members) ?? []
        pageToken = try container.decodeIfPresent(String.self, forKey: .pageToken)
        hasMore = try container.decodeIfPresent(Bool.self, forKey: .hasMore) ?? false
        total = try container.decodeIfPresent(Int.self, forKey: .total)
    }
}
