/// A WeCom tag the sandbox knows, so `totag` resolves: it reaches the members it lists and the
/// members of the departments it lists.
struct WeComSandboxTag: Sendable, Codable {
    var corpID: String
    var tagID: Int
    var tagName: String?
    var userList: [String]?
    var partyList: [Int]?

    enum CodingKeys: String, CodingKey {
        case corpID = "corp_id"
        case tagID = "tagid"
        case tagName = "tagname"
        case userList = "userlist"
        case partyList = "partylist"
    }
}
