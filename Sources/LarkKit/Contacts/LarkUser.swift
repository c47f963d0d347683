/// A user as the contact API answers it (the fields Yizhan uses; Lark sends many more).
public struct LarkUser: Sendable, Equatable, Decodable {
    public var openID: String?
    public var unionID: String?
    public var userID: String?
    public var name: String
    public var email: String?
    public var mobile: String?
    public var status: LarkUserStatus?

    enum CodingKeys: String, CodingKey {
        case name, email, mobile, status
        case openID = "open_id"
        case unionID = "union_id"
        case userID = "user_id"
    }
}

/// Whether a user is frozen, has resigned, is activated.
public struct LarkUserStatus: Sendable, Equatable, Decodable {
    public var isFrozen: Bool?
    public var isResigned: Bool?
    public var isActivated: Bool?

    enum CodingKeys: String, CodingKey {
        case isFrozen = "is_frozen"
        case isResigned = "is_resigned"
        case isActivated = "is_activated"
    }
}

/// One answer of `batch_get_id`: the email or mobile asked for, and the user id when one was found.
public struct LarkUserMatch: Sendable, Equatable, Decodable {
    /// The id of the requested type; nil when nobody visible to the app has that email or mobile.
    public var userID: String?
    public var email: String?
    public var mobile: String?
    public var status: LarkUserStatus?

    enum CodingKeys: String, CodingKey {
        case email, mobile, status
        case userID = "user_id"
    }
}
