import Foundation
import NIOHTTP1
import ProviderKitSupport

extension LarkClient {
    /// The most members one page lists.
    public static let maximumMemberPageSize = 100

    /// `POST /open-apis/im/v1/chats`: creates a group chat with the app's bot in it.
    ///
    /// Not idempotent: a lost answer is ``ProviderErrorCategory/maybeDelivered``. Give a `uuid`
    /// (1 to 50 UTF-8 bytes): Lark creates at most one chat per uuid within 10 hours, so a
    /// maybe-created chat can be asked for again with the same uuid.
    /// - Parameter idType: The kind of id in `chat.users` and `chat.ownerID`.
    public func createChat(_ chat: LarkChatCreation, idType: LarkUserIDType = .openID, uuid: String? = nil) async throws(LarkError) -> LarkChat {
        guard chat.users.count <= LarkChatCreation.maximumUsers, chat.bots.count <= LarkChatCreation.maximumBots else {
            throw LarkError(
                category: .permanent, code: 0,
                message: "a chat is created with at most \(LarkChatCreation.maximumUsers) users and \(LarkChatCreation.maximumBots) bots")
        }
        try Self.validate(uuid: uuid)
        var query = [URLQueryItem(name: "user_id_type", value: idType.rawValue)]
        if let uuid { query.append(URLQueryItem(name: "uuid", value: uuid)) }
        return try await authorized(path: "/open-apis/im/v1/chats" + Self.query(query), body: .json(chat.body), idempotent: false, as: LarkChat.self)
    }

    /// `GET /open-apis/im/v1/chats/:chat_id/members`: one page of the chat's users (`pageSize`
    /// 1 to 100); pass the answer's ``LarkChatMemberPage/pageToken`` for the next while
    /// ``LarkChatMemberPage/hasMore``. The app's bot must be in the chat.
    public func chatMembers(
        chatID: String, idType: LarkUserIDType = .openID, pageSize: Int = 100, pageToken: String? = nil
    ) async throws(LarkError) -> LarkChatMemberPage {
        try Self.validate(id: chatID, of: "chat")
        guard (1...Self.maximumMemberPageSize).contains(pageSize) else {
            throw LarkError(category: .permanent, code: 0, message: "a page has 1 to \(Self.maximumMemberPageSize) members")
        }
        var query = [URLQueryItem(name: "member_id_type", value: idType.rawValue), URLQueryItem(name: "page_size", value: String(pageSize))]
        if let pageToken { query.append(URLQueryItem(name: "page_token", value: pageToken)) }
        return try await authorized(
            .GET, path: "/open-apis/im/v1/chats/\(chatID)/members" + Self.query(query), body: nil, idempotent: true, as: LarkChatMemberPage.self)
    }

    /// Every user of the chat, page after page.
    public func allChatMembers(chatID: String, idType: LarkUserIDType = .openID) async throws(LarkError) -> [LarkChatMember] {
        var members: [LarkChatMember] = []
        var token: String?
        repeat {
            let page = try await chatMembers(chatID: chatID, idType: idType, pageToken: token)
            members += page.members
            // A page that says there is more but gives no token would loop for ever.
            token = page.hasMore ? page.pageToken.flatMap { $0.isEmpty ? nil : $0 } : nil
        } while token != nil
        return members
    }

    /// `?a=b&c=d`, every value byte but the unreserved ones percent-encoded (a page token may hold
    /// `+`, `/` or `=`, which a server could read otherwise).
    static func query(_ items: [URLQueryItem]) -> String {
        let unreserved = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~")
        return "?" + items.map { item in
            item.name + "=" + (item.value?.addingPercentEncoding(withAllowedCharacters: unreserved) ?? "")
        }.joined(separator: "&")
    }
}
