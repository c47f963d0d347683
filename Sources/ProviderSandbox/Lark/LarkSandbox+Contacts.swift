import Foundation

extension LarkSandbox {
    static let userIDTypes: Set<String> = ["open_id", "union_id", "user_id"]

    /// `POST /open-apis/contact/v3/users/batch_get_id?user_id_type=`: one entry per email and per
    /// mobile, in order, with `user_id` (of the asked type) and `status` only when found.
    func batchGetID(appID: String, userIDType: String?, body raw: Data) throws(LarkAPIError) -> Data {
        try admitCall(appID: appID, api: .batchGetID)
        let type = userIDType ?? "open_id"
        guard Self.userIDTypes.contains(type) else { throw .fieldValidation("user_id_type") }
        guard let body = (try? JSONSerialization.jsonObject(with: raw)) as? [String: Any] else { throw .fieldValidation("body") }
        let emails = body["emails"] as? [String] ?? []
        let mobiles = body["mobiles"] as? [String] ?? []
        guard emails.count <= 50, mobiles.count <= 50 else { throw .fieldValidation("emails and mobiles take at most 50 each") }
        var list: [[String: Any]] = []
        for email in emails {
            list.append(match(users.first { $0.email?.lowercased() == email.lowercased() }, type: type, key: "email", value: email))
        }
        for mobile in mobiles {
            list.append(match(users.first { $0.mobile == mobile }, type: type, key: "mobile", value: mobile))
        }
        return Self.success(["user_list": list])
    }

    /// `GET /open-apis/contact/v3/users/:user_id?user_id_type=`: `{user: …}`.
    func user(appID: String, id: String, userIDType: String?) throws(LarkAPIError) -> Data {
        try admitCall(appID: appID, api: .getUser)
        let type = userIDType ?? "open_id"
        guard Self.userIDTypes.contains(type) else { throw .fieldValidation("user_id_type") }
        let found = seededUser(id, type: type)
        // UNCERTAIN: the code for a user the app cannot see; the sandbox answers 41050.
        guard let found else { throw .noUserAuthority }
        var user: [String: Any] = ["open_id": found.openID, "name": found.name, "status": Self.activeStatus]
        if let unionID = found.unionID { user["union_id"] = unionID }
        if let userID = found.userID { user["user_id"] = userID }
        if let email = found.email { user["email"] = email }
        if let mobile = found.mobile { user["mobile"] = mobile }
        return Self.success(["user": user])
    }

    private static let activeStatus: [String: Bool] = [
        "is_frozen": false, "is_resigned": false, "is_activated": true, "is_exited": false, "is_unjoin": false,
    ]

    private func match(_ user: LarkSandboxUser?, type: String, key: String, value: String) -> [String: Any] {
        var entry: [String: Any] = [key: value]
        guard let user else { return entry }
        if let id = Self.id(of: user, type: type) {
            entry["user_id"] = id
            entry["status"] = Self.activeStatus
        }
        return entry
    }

    /// `{"code":0,"msg":"success","data":…}`.
    static func success(_ data: [String: Any]) -> Data {
        let object: [String: Any] = ["code": 0, "msg": "success", "data": data]
        return (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data(#"{"code":0,"msg":"success","data":{}}"#.utf8)
    }

    /// The seeded user whose id of `type` is `id`.
    func seededUser(_ id: String, type: String) -> LarkSandboxUser? {
        users.first { Self.id(of: $0, type: type) == id }
    }

    /// A user's id of `type` (`open_id`, `union_id`, `user_id`).
    static func id(of user: LarkSandboxUser, type: String) -> String? {
        switch type {
        case "union_id": user.unionID
        case "user_id": user.userID
        default: user.openID
        }
    }
}
