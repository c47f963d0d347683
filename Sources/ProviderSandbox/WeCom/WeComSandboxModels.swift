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
    var email: String?
    var mobile: String?
    var name: String

    enum CodingKeys: String, CodingKey {
        case email, mobile, name
        case corpID = "corp_id"
        case userID = "userid"
    }
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
    static let invalidMessageType = WeComAPIError(errcode: 40008, errmsg: "invalid message type")
    static let emptyContent = WeComAPIError(errcode: 44004, errmsg: "empty content")
    static let contentTooLong = WeComAPIError(errcode: 45002, errmsg: "content size out of limit")
    static let noValidRecipient = WeComAPIError(errcode: 81013, errmsg: "user & party & tag all invalid")
    static let noRecipient = WeComAPIError(errcode: 82001, errmsg: "All touser & toparty & totag invalid")
    static let invalidParameter = WeComAPIError(errcode: 40058, errmsg: "invalid parameter")
}
