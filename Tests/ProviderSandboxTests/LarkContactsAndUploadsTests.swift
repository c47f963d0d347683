import Foundation
import LarkKit
import ProviderSandbox
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// LarkKit's replies, uploads and contact lookups against the sandbox.
@Suite(.timeLimit(.minutes(1)))
struct LarkContactsAndUploadsTests {
    @Test
    func aReplyGoesToTheChatOfTheOriginalAndDedupesByUUID() async throws {
        try await withLarkSandbox { _, baseURL in
            let lark = larkClient(baseURL)
            let original = try await lark.sendMessage(to: .chatID("oc_ops"), content: .text("部署开始"))
            let reply = try await lark.reply(to: original.messageID, content: .text("部署完成"), inThread: true, uuid: "reply-1")
            #expect(reply.chatID == "oc_ops")
            #expect(reply.messageID != original.messageID)
            let again = try await lark.reply(to: original.messageID, content: .text("部署完成"), uuid: "reply-1")
            #expect(again.messageID == reply.messageID)

            let unknown = await #expect(throws: LarkError.self) { try await lark.reply(to: "om_nothing", content: .text("x")) }
            #expect(unknown?.code == 230001)
            let malformed = await #expect(throws: LarkError.self) { try await lark.reply(to: "om_1/../x", content: .text("x")) }
            #expect(malformed?.code == 0)
            let outcomes = try await sandboxMessages(baseURL).filter { $0["recipient_type"] as? String == "reply" }.compactMap { $0["outcome"] as? String }
            #expect(outcomes == ["accepted", "dropped", "rejected"])
        }
    }

    @Test
    func uploadedImagesAndFilesCanBeSentAndInventedKeysCannot() async throws {
        try await withLarkSandbox { _, baseURL in
            let lark = larkClient(baseURL)
            let imageKey = try await lark.uploadImage(Data([0x89, 0x50, 0x4E, 0x47] + Array(repeating: 0, count: 100)))
            #expect(imageKey.hasPrefix("img_"))
            _ = try await lark.sendMessage(to: .openID("ou_alice"), content: .image(imageKey: imageKey))
            let fileKey = try await lark.uploadFile(Data("a,b\n1,2\n".utf8), name: "report.csv")
            #expect(fileKey.hasPrefix("file_"))
            _ = try await lark.sendMessage(to: .openID("ou_alice"), content: .file(fileKey: fileKey))

            let invented = await #expect(throws: LarkError.self) { try await lark.sendMessage(to: .openID("ou_alice"), content: .image(imageKey: "img_made_up")) }
            #expect(invented?.code == 230001)
            let empty = await #expect(throws: LarkError.self) { try await lark.uploadFile(Data(), name: "empty.txt") }
            #expect(empty?.category == .permanent)
        }
    }

    @Test
    func theSandboxRefusesBrokenUploadsWithLarksCodes() async throws {
        try await withLarkSandbox { _, baseURL in
            let token = try await larkClient(baseURL).fetchTenantToken().token
            func upload(_ body: String, contentType: String) async throws -> String {
                var request = URLRequest(url: URL(string: baseURL + "/open-apis/im/v1/files")!)
                request.httpMethod = "POST"
                request.setValue("Bearer \(token)", forHTTPHeaderField: "Authorization")
                request.setValue(contentType, forHTTPHeaderField: "Content-Type")
                request.httpBody = Data(body.utf8)
                return String(decoding: try await URLSession.shared.data(for: request).0, as: UTF8.self)
            }
            #expect(try await upload("{}", contentType: "application/json").contains("234001"))
            let emptyFile = "--b\r\nContent-Disposition: form-data; name=\"file_type\"\r\n\r\nstream\r\n--b\r\nContent-Disposition: form-data; name=\"file_name\"\r\n\r\na.txt\r\n--b\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n\r\n--b--\r\n"
            #expect(try await upload(emptyFile, contentType: "multipart/form-data; boundary=b").contains("234010"))
        }
    }

    @Test
    func usersAreFoundByEmailAndMobileAndByID() async throws {
        try await withSandbox(seed: """
            {"lark": {"apps": [{"app_id": "cli_test", "app_secret": "s3cret"}],
                      "users": [{"open_id": "ou_alice", "user_id": "alice", "union_id": "on_alice", "email": "alice@corp.example", "mobile": "+8613800000001", "name": "Alice"}]}}
            """) { _, baseURL in
            let lark = larkClient(baseURL)
            let matches = try await lark.userIDs(emails: ["ALICE@corp.example", "ghost@corp.example"], mobiles: ["+8613800000001"])
            #expect(matches.map(\.userID) == ["ou_alice", nil, "ou_alice"])
            #expect(matches.map(\.email) == ["ALICE@corp.example", "ghost@corp.example", nil])
            #expect(matches.first?.status?.isActivated == true)
            let byUserID = try await lark.userIDs(emails: ["alice@corp.example"], idType: .userID)
            #expect(byUserID.first?.userID == "alice")

            let alice = try await lark.user(id: "on_alice", idType: .unionID)
            #expect(alice.name == "Alice")
            #expect(alice.openID == "ou_alice")
            #expect(alice.mobile == "+8613800000001")
            let missing = await #expect(throws: LarkError.self) { try await lark.user(id: "ou_ghost") }
            #expect(missing?.code == 41050)
            let tooMany = await #expect(throws: LarkError.self) { try await lark.userIDs(emails: (0...50).map { "u\($0)@corp.example" }) }
            #expect(tooMany?.category == .permanent)
        }
    }
}
