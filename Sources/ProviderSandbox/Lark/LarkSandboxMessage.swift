/// A message as `im/v1/messages` answers it (the `data` of the answer).
struct LarkSandboxMessage: Encodable, Sendable {
    struct Sender: Encodable, Sendable {
        var id: String
        var idType = "app_id"
        var senderType = "app"
        var tenantKey = "sandbox"
        enum CodingKeys: String, CodingKey {
            case id
            case idType = "id_type"
            case senderType = "sender_type"
            case tenantKey = "tenant_key"
        }
    }
    struct Body: Encodable, Sendable {
        var content: String
    }

    var messageID: String
    var rootID = ""
    var parentID = ""
    var messageType: String
    var createTime: String
    var updateTime: String
    var deleted = false
    var updated = false
    var chatID: String
    var sender: Sender
    var body: Body

    enum CodingKeys: String, CodingKey {
        case deleted, updated, sender, body
        case messageID = "message_id"
        case rootID = "root_id"
        case parentID = "parent_id"
        case messageType = "msg_type"
        case createTime = "create_time"
        case updateTime = "update_time"
        case chatID = "chat_id"
    }
}
