import ProviderKitSupport

extension WeComClient {
    /// `POST /cgi-bin/user/getuserid`: the userid of the member with this mobile number.
    /// A number no member has is a permanent error (46004).
    public func userID(mobile: String) async throws(WeComError) -> String {
        try await userID(path: "/cgi-bin/user/getuserid", body: ["mobile": mobile])
    }

    /// `POST /cgi-bin/user/get_userid_by_email`: the userid of the member with this email
    /// (`corporate`: the corp mailbox, `email_type` 1; otherwise a personal address, 2).
    public func userID(email: String, corporate: Bool = true) async throws(WeComError) -> String {
        try await userID(path: "/cgi-bin/user/get_userid_by_email", body: ["email": email, "email_type": corporate ? 1 : 2])
    }

    private func userID(path: String, body: [String: Any]) async throws(WeComError) -> String {
        let answer = try await authorized(path: path, body: body, idempotent: true)
        guard let userID = answer["userid"] as? String else {
            throw WeComError(category: .permanent, errcode: 0, errmsg: "the answer has no userid")
        }
        return userID
    }
}
