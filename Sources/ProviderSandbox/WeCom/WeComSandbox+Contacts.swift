import Foundation

extension WeComSandbox {
    /// `POST /cgi-bin/user/getuserid` `{mobile}` and `POST /cgi-bin/user/get_userid_by_email`
    /// `{email, email_type?}`: the member's userid, or 46004.
    ///
    /// `email_type` 1 (the default, as WeCom documents) matches the member's corporate mailbox
    /// (`biz_mail`), 2 its personal address (`email`). Any other value is 40058: UNCERTAIN, WeCom's
    /// page names no code for it.
    func lookUpUser(accessToken: String?, body raw: Data) throws(WeComAPIError) -> Data {
        let app = try app(forToken: accessToken)
        guard let body = (try? JSONSerialization.jsonObject(with: raw)) as? [String: Any] else { throw .invalidParameter }
        let members = (users[app.corpID] ?? [:]).values
        let found: WeComSandboxUser?
        if let mobile = body["mobile"] as? String, !mobile.isEmpty {
            found = members.first { $0.mobile == mobile }
        } else if let email = body["email"] as? String, !email.isEmpty {
            let address: KeyPath<WeComSandboxUser, String?>
            switch body["email_type"] == nil ? 1 : body["email_type"] as? Int {
            case 1: address = \.bizMail
            case 2: address = \.email
            default: throw .invalidParameter
            }
            found = members.first { $0[keyPath: address]?.lowercased() == email.lowercased() }
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
