import Foundation
import Hummingbird
import NIOFoundationCompat

/// The Lark message edits and chat paths: recall, card update, chat creation and member lists.
enum LarkChatRoutes {
    static func register(on router: Router<BasicRequestContext>, lark: LarkSandbox, faults: SandboxFaults) {
        router.delete("/open-apis/im/v1/messages/{message_id}") { request, context in
            let messageID = try context.parameters.require("message_id")
            return await LarkRoutes.authorized(request, path: "/open-apis/im/v1/messages/{message_id}", lark: lark, faults: faults) { appID in
                try await lark.recall(appID: appID, messageID: messageID)
            }
        }
        router.patch("/open-apis/im/v1/messages/{message_id}") { request, context in
            let messageID = try context.parameters.require("message_id")
            return await LarkRoutes.authorized(request, path: "/open-apis/im/v1/messages/{message_id}", lark: lark, faults: faults) { appID in
                let body = try await request.body.collect(upTo: 1 << 20)
                return try await lark.updateCard(appID: appID, messageID: messageID, body: Data(buffer: body))
            }
        }
        router.post("/open-apis/im/v1/chats") { request, _ in
            // A create is what `drop_response` is about: done, then its answer lost (a retry with the uuid dedupes).
            await LarkRoutes.authorized(request, path: "/open-apis/im/v1/chats", lark: lark, faults: faults, sends: true) { appID in
                let body = try await request.body.collect(upTo: 1 << 20)
                return try await lark.createChat(
                    appID: appID, userIDType: query(request, "user_id_type"), uuid: query(request, "uuid"), body: Data(buffer: body))
            }
        }
        router.get("/open-apis/im/v1/chats/{chat_id}/members") { request, context in
            let chatID = try context.parameters.require("chat_id")
            return await LarkRoutes.authorized(request, path: "/open-apis/im/v1/chats/{chat_id}/members", lark: lark, faults: faults) { appID in
                try await lark.chatMembers(
                    appID: appID, chatID: chatID, memberIDType: query(request, "member_id_type"), pageSize: query(request, "page_size"),
                    pageToken: query(request, "page_token"))
            }
        }
    }

    private static func query(_ request: Request, _ name: String) -> String? {
        request.uri.queryParameters[Substring(name)].map(String.init)
    }
}
