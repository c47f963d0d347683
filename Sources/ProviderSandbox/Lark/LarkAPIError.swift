/// An error answer of the Lark API: HTTP status, `code`, `msg` and any headers.
struct LarkAPIError: Error, Sendable {
    var status: Int
    var code: Int
    var msg: String
    var headers: [String: String] = [:]

    /// 99991661: no or garbled Authorization header.
    static let needToken = LarkAPIError(status: 400, code: 99991661, msg: "Missing access token for authorization. Please make a request with token attached.")
    /// 99991663: the tenant token is unknown, revoked or expired. The HTTP status of token errors is
    /// not documented (UNCERTAIN); the sandbox answers 400, the most commonly observed status.
    static let invalidToken = LarkAPIError(status: 400, code: 99991663, msg: "Invalid access token for authorization. Please make a request with token attached.")
    /// 10003-style bad app credentials (the token endpoints answer flat bodies with HTTP 400).
    static let invalidCredentials = LarkAPIError(status: 400, code: 10003, msg: "invalid param")
    /// 10014 "app secret invalid": what Lark answers a wrong app secret (REFERENCE.md's table
    /// says 10015; real answers say 10014).
    static let wrongSecret = LarkAPIError(status: 400, code: 10014, msg: "app secret invalid")
    /// 230001: invalid parameter.
    static func invalidParameter(_ detail: String) -> LarkAPIError {
        LarkAPIError(status: 400, code: 230001, msg: "Your request contains an invalid request parameter, \(detail).")
    }
    /// 230013: the recipient is outside the bot's availability (or does not exist).
    static let userNotInAvailability = LarkAPIError(status: 400, code: 230013, msg: "Bot has NO availability to this user.")
    /// 230002: the bot is not in the chat.
    static let botNotInChat = LarkAPIError(status: 400, code: 230002, msg: "The bot can not be outside the group.")
    /// 99991400 with HTTP 429 and the `x-ogw-ratelimit-*` headers: the app's API limit.
    static func rateLimited(limit: Int, resetSeconds: Int) -> LarkAPIError {
        LarkAPIError(
            status: 429, code: 99991400, msg: "request trigger frequency limit",
            headers: ["x-ogw-ratelimit-limit": String(limit), "x-ogw-ratelimit-reset": String(resetSeconds)])
    }
    /// 230020: the recipient's limit (5 QPS per user, 5 QPS per chat shared by all bots).
    static let recipientRateLimited = LarkAPIError(status: 400, code: 230020, msg: "This operation triggers the frequency limit.")
    /// 230025: the content is longer than the limit of its message type.
    static let contentTooLong = LarkAPIError(status: 400, code: 230025, msg: "The length of the message content reaches its limit.")
    /// 99992402: a field failed validation (the generic code of the newer APIs).
    static func fieldValidation(_ field: String) -> LarkAPIError {
        LarkAPIError(status: 400, code: 99992402, msg: "field validation failed: \(field)")
    }
    /// 41050: the user is outside the app's contact range (or does not exist).
    static let noUserAuthority = LarkAPIError(status: 400, code: 41050, msg: "no user authority error")
    /// 234001: an upload's form is incomplete or wrong.
    static func uploadInvalid(_ detail: String) -> LarkAPIError {
        LarkAPIError(status: 400, code: 234001, msg: "Invalid request param: \(detail).")
    }
    /// 234006: the file is larger than the limit.
    static let uploadTooLarge = LarkAPIError(status: 400, code: 234006, msg: "The file size exceed the max value.")
    /// 234010: the file is empty.
    static let uploadEmpty = LarkAPIError(status: 400, code: 234010, msg: "File's size can't be 0.")
    /// 10016: app_ticket resend is for marketplace apps only.
    static let resendRefused = LarkAPIError(status: 400, code: 10016, msg: "app resend fail")
    /// 10012: the app_ticket is unknown or too old.
    static let appTicketInvalid = LarkAPIError(status: 400, code: 10012, msg: "get app access token fail: app ticket invalid")
    /// 99991664: the app token is unknown or expired.
    static let invalidAppToken = LarkAPIError(status: 400, code: 99991664, msg: "invalid app token")
    /// 10013: no tenant token for that tenant (the app is not installed there).
    static let tenantTokenFailed = LarkAPIError(status: 400, code: 10013, msg: "get tenant access token fail")
    /// 99991668: the user token is unknown or revoked.
    static let invalidUserToken = LarkAPIError(status: 400, code: 99991668, msg: "Invalid access token for authorization. Please make a request with token attached.")
    /// 99991677: the user token expired.
    static let expiredUserToken = LarkAPIError(status: 400, code: 99991677, msg: "token expire")
    /// 230011: the message was recalled.
    static let messageRecalled = LarkAPIError(status: 400, code: 230011, msg: "The message is recalled.")
    /// 230026: the message may not be recalled (another app's, or past the recall window). UNCERTAIN:
    /// our reference does not give the code of a passed window; the sandbox answers this one.
    static let recallRefused = LarkAPIError(status: 400, code: 230026, msg: "No permission to recall this message.")
    /// 232001: a chat API's parameter is wrong.
    static func chatInvalidParameter(_ detail: String) -> LarkAPIError {
        LarkAPIError(status: 400, code: 232001, msg: "Your request contains an invalid request parameter, \(detail).")
    }
    /// 232006: no such chat (UNCERTAIN code).
    static let chatNotFound = LarkAPIError(status: 400, code: 232006, msg: "Your request specifies a chat_id that is invalid.")
    /// 232011: the app's bot is not in the chat (UNCERTAIN code).
    static let operatorNotInChat = LarkAPIError(status: 400, code: 232011, msg: "Operator can NOT be out of the chat.")
    /// 232024: a user or bot to add is unknown or not visible to the app (UNCERTAIN code).
    static let memberNotVisible = LarkAPIError(
        status: 400, code: 232024, msg: "Users do not have the visibility to the app, or the operator does not have collaboration permissions with the target users.")
}
