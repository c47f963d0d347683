/// `change_contact`: the corp's directory changed (`FromUserName` is `sys`).
///
/// Since 2022-08-15 a contact-sync callback URL set or changed after that date gets only the ids
/// (`UserID`/`Department` for members, `Id`/`ParentId` for departments), so read the member or
/// department again (`user/get`) rather than trust the other attributes; any that did come are
/// in ``WeComCallback/fields`` and in ``attributes``.
public enum WeComContactChange: Sendable, Equatable {
    /// `create_user`: a member was added.
    case createUser(userID: String, attributes: [String: String])
    /// `update_user`: a member changed; `newUserID` when the userid itself changed (`NewUserID`).
    case updateUser(userID: String, newUserID: String?, attributes: [String: String])
    /// `delete_user`: a member was removed.
    case deleteUser(userID: String)
    /// `create_party`: a department was added (`Id`, `ParentId`, with `Name` and `Order` in
    /// `attributes` when sent).
    case createParty(id: String, parentID: String?, attributes: [String: String])
    /// `update_party`: a department changed.
    case updateParty(id: String, parentID: String?, attributes: [String: String])
    /// `delete_party`: a department was removed.
    case deleteParty(id: String)
    /// `update_tag`: a tag's members changed. Each list is WeCom's comma-separated list, split.
    case updateTag(tagID: String, addedUsers: [String], removedUsers: [String], addedParties: [String], removedParties: [String])
    /// Any other `ChangeType`, with the callback's top-level fields.
    case other(changeType: String, fields: [String: String])

    /// The elements that identify the callback, left out of `attributes`.
    private static let envelope: Set<String> = [
        "ToUserName", "FromUserName", "CreateTime", "MsgType", "Event", "ChangeType", "AgentID", "UserID", "NewUserID", "Id",
        "ParentId",
    ]

    init(changeType: String, fields: [String: String]) {
        let field = { (name: String) in fields[name] ?? "" }
        let attributes = fields.filter { !Self.envelope.contains($0.key) }
        func list(_ name: String) -> [String] {
            field(name).split(separator: ",").map { String($0) }.filter { !$0.isEmpty }
        }
        switch changeType {
        case "create_user": self = .createUser(userID: field("UserID"), attributes: attributes)
        case "update_user": self = .updateUser(userID: field("UserID"), newUserID: fields["NewUserID"], attributes: attributes)
        case "delete_user": self = .deleteUser(userID: field("UserID"))
        case "create_party": self = .createParty(id: field("Id"), parentID: fields["ParentId"], attributes: attributes)
        case "update_party": self = .updateParty(id: field("Id"), parentID: fields["ParentId"], attributes: attributes)
        case "delete_party": self = .deleteParty(id: field("Id"))
        case "update_tag":
            self = .updateTag(
                tagID: field("TagId"), addedUsers: list("AddUserItems"), removedUsers: list("DelUserItems"),
                addedParties: list("AddPartyItems"), removedParties: list("DelPartyItems"))
        default: self = .other(changeType: changeType, fields: fields)
        }
    }
}
