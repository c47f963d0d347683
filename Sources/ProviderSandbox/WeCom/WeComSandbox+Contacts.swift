import Foundation

extension WeComSandbox {
    /// `POST /cgi-bin/user/getuserid` `{mobile}` and `POST /cgi-bin/user/get_userid_by_email`
    /// `{email, email_type?}`: the member's userid, or 46004.
    func lookUpUser(accessToken: String?, body raw: Data) throws(WeComAPIError) -> Data {
        let app = try app(forToken: accessToken)
        guard let body = (try? JSONSerialization.jsonObject(with: raw)) as? [String: Any] else { throw .invalidParameter }
        let members = (users[app.corpID] ?? [:]).values
        let found: WeComSandboxUser?
        if let mobile = body["mobile"] as? String, !mobile.isEmpty {
            found = members.first { $0.mobile == mobile }
        } else if let email = body["email"] as? String, !email.isEmpty {
            found = members.first { $0.email?.lowercased() == email.lowercased() }
        } else {
            throw .invalidParameter
        }
        guard let found else { throw .userNotFound }
        return Self.ok(["userid": found.userID])
    }

    /// `{"errcode":0,"errmsg":"ok", …fields}`.
    static func ok(_ fields: [String: Any] = [:]) -> Data {
        var answer: [String: Any] = ["errcode": 0, "errmsg": "ok"]
        answer.merge(fields) { _, new in new }
        return (try? JSONSerialization.data(withJSONObject: answer, options: [.sortedKeys])) ?? Data(#"{"errcode":0,"errmsg":"ok"}"#.utf8)
    }
}
