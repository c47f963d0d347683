/// What a new group chat is to be: its name, owner and first members.
///
/// ```swift
/// let chat = try await client.createChat(.init(name: "Incident 42", users: ["ou_a", "ou_b"]), uuid: "incident-42")
/// ```
public struct LarkChatCreation: Sendable, Equatable {
    /// Lark takes at most this many users and bots in one create.
    public static let maximumUsers = 50
    public static let maximumBots = 5

    public var name: String?
    public var description: String?
    /// The owner, of the call's id type; the app's bot when nil.
    public var ownerID: String?
    /// The users to add (at most ``maximumUsers``), of the call's id type.
    public var users: [String]
    /// Other bots to add, by app id (at most ``maximumBots``). The creating bot is always in.
    public var bots: [String]
    /// `private` (default) or `public`.
    public var isPublic: Bool
    /// Whether people from other tenants may join.
    public var external: Bool

    public init(
        name: String? = nil, description: String? = nil, ownerID: String? = nil, users: [String] = [], bots: [String] = [],
        isPublic: Bool = false, external: Bool = false
    ) {
        self.name = name
        self.description = description
        self.ownerID = ownerID
        self.users = users
        self.bots = bots
        self.isPublic = isPublic
        self.external = external
    }

    /// The request body of `POST /open-apis/im/v1/chats`.
    var body: [String: Any] {
        var body: [String: Any] = [
            "user_id_list": users, "bot_id_list": bots, "chat_mode": "group", "chat_type": isPublic ? "public" : "private",
            "external": external,
        ]
        if let name { body["name"] = name }
        if let description { body["description"] = description }
        if let ownerID { body["owner_id"] = ownerID }
        return body
    }
}
