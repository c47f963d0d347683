/// A WeCom app (corp id + agent id) registered with the sandbox.
struct WeComSandboxApp: Sendable, Codable {
    var corpID: String
    var agentID: Int
    var secret: String
    var token: String?
    var encodingAESKey: String?
    var callbackURL: String?

    enum CodingKeys: String, CodingKey {
        case secret, token
        case corpID = "corp_id"
        case agentID = "agent_id"
        case encodingAESKey = "encoding_aes_key"
        case callbackURL = "callback_url"
    }
}

/// A WeCom member the sandbox knows.
struct WeComSandboxUser: Sendable, Codable {
    var corpID: String
    var userID: String
    /// The member's personal address (WeCom's `email`): `get_userid_by_email` with `email_type` 2.
    var email: String?
    /// The member's corporate mailbox (WeCom's `biz_mail`): `get_userid_by_email` with `email_type` 1.
    var bizMail: String?
    var mobile: String?
    var name: String
    /// The departments the member is in (WeCom's `department`); `toparty` reaches them.
    var departments: [Int]?
    /// `false`: the member has no API licence, so app messages list it in `unlicenseduser`
    /// and do not reach it. Licensed when absent.
    var licensed: Bool?

    enum CodingKeys: String, CodingKey {
        case email, mobile, name, licensed
        case corpID = "corp_id"
        case userID = "userid"
        case bizMail = "biz_mail"
        case departments = "department"
    }
}

/// A WeCom department, so `toparty` resolves (a department named by a member is known too).
struct WeComSandboxDepartment: Sendable, Codable {
    var corpID: String
    var id: Int
    var name: String?

    enum CodingKeys: String, CodingKey {
        case id, name
        case corpID = "corp_id"
    }
}

/// An app group chat (`appchat`).
struct WeComSandboxChat: Sendable, Codable {
    var chatid: String
    var name: String
    var owner: String
    var userlist: [String]
}

/// An error answer of WeCom: HTTP 200 with a non-zero `errcode` (WeCom keys on errcode; the HTTP
/// status of business errors is 200 in practice, UNCERTAIN as a guarantee).
struct WeComAPIError: Error, Sendable {
    var errcode: Int
    var errmsg: String

    static let invalidCorpID = WeComAPIError(errcode: 40013, errmsg: "invalid corpid")
    static let invalidSecret = WeComAPIError(errcode: 40001, errmsg: "invalid credential")
    static let missingToken = WeComAPIError(errcode: 41001, errmsg: "access_token missing")
    static let invalidToken = WeComAPIError(errcode: 40014, errmsg: "invalid access_token")
    static let expiredToken = WeComAPIError(errcode: 42001, errmsg: "access_token expired")
    static let agentMismatch = WeComAPIError(errcode: 301002, errmsg: "not allow operate another agent with this accesstoken.")
    /// An `agentid` that is missing or not a number.
    static let invalidAgentID = WeComAPIError(errcode: 40056, errmsg: "invalid agentid")
    static let invalidMessageType = WeComAPIError(errcode: 40008, errmsg: "invalid message type")
    static let emptyContent = WeComAPIError(errcode: 44004, errmsg: "empty content")
    static let contentTooLong = WeComAPIError(errcode: 45002, errmsg: "content size out of limit")
    static let noValidRecipient = WeComAPIError(errcode: 81013, errmsg: "user & party & tag all invalid")
    static let noRecipient = WeComAPIError(errcode: 82001, errmsg: "All touser & toparty & totag invalid")
    /// `touser` with more than 1,000 members ("不合法的UserID列表长度"); the English errmsg is UNCERTAIN.
    static let tooManyUsers = WeComAPIError(errcode: 40032, errmsg: "invalid userid list size")
    /// `toparty` with more than 100 departments ("不合法的PartyID列表长度"); the English errmsg is UNCERTAIN.
    static let tooManyParties = WeComAPIError(errcode: 82002, errmsg: "invalid partyid list size")
    /// `totag` with more than 100 tags ("不合法的TagID列表长度"); the English errmsg is UNCERTAIN.
    static let tooManyTags = WeComAPIError(errcode: 82003, errmsg: "invalid tagid list size")
    static let invalidParameter = WeComAPIError(errcode: 40058, errmsg: "invalid parameter")
    /// No member with that mobile or email (`user/getuserid`, `get_userid_by_email`).
    static let userNotFound = WeComAPIError(errcode: 46004, errmsg: "user no exist")
    /// An `appchat` member that is not in the corp. The code is UNCERTAIN (not in our reference).
    static let chatMemberNotFound = WeComAPIError(errcode: 60111, errmsg: "userid not found")
    /// An `appchat` that does not exist. The code is UNCERTAIN (not in our reference).
    static let chatNotFound = WeComAPIError(errcode: 86003, errmsg: "chat not found")
    /// `appchat/create` with a `chatid` already taken. The code is UNCERTAIN (not in our reference).
    static let chatExists = WeComAPIError(errcode: 86215, errmsg: "chatid already exists")
    /// `media/upload` with a `type` other than image, voice, video or file.
    static let invalidMediaType = WeComAPIError(errcode: 40004, errmsg: "invalid media type")
    /// A media file empty, of 5 bytes or less, or over its type's limit.
    static let invalidFileSize = WeComAPIError(errcode: 40006, errmsg: "invalid file size")
    /// A `media_id` that is unknown or older than 3 days.
    static let invalidMediaID = WeComAPIError(errcode: 40007, errmsg: "invalid media_id")
    /// 45009: over a frequency limit (a group robot's 20 messages a minute).
    static let frequencyLimited = WeComAPIError(errcode: 45009, errmsg: "api freq out of limit")
    /// 93000: the robot key is unknown or the robot was removed from its group.
    static let invalidWebhook = WeComAPIError(errcode: 93000, errmsg: "invalid webhook url")
}
