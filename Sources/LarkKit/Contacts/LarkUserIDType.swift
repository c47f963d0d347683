/// Which of a user's ids an API takes or answers (`user_id_type`).
public enum LarkUserIDType: String, Sendable {
    case openID = "open_id"
    case unionID = "union_id"
    case userID = "user_id"
}
