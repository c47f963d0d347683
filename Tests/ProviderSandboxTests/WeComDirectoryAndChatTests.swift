import Foundation
import NIOCore
import ProviderSandbox
import Testing
import WeComKit

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// WeComKit's member lookups, departments, app group chats and media against the sandbox.
@Suite(.timeLimit(.minutes(1)))
struct WeComDirectoryAndChatTests {
    static let seed = """
        {"wecom": {
          "apps": [{"corp_id": "wwcorp", "agent_id": 1000002, "secret": "app-secret"}],
          "users": [{"corp_id": "wwcorp", "userid": "zhangsan", "name": "张三", "mobile": "13800000001", "biz_mail": "zhangsan@corp.example", "department": [2]},
                    {"corp_id": "wwcorp", "userid": "lisi", "name": "李四", "email": "lisi@home.example", "department": [2, 3]},
                    {"corp_id": "wwcorp", "userid": "wangwu", "name": "王五", "department": [3]}],
          "departments": [{"corp_id": "wwcorp", "id": 4, "name": "空部门"}]
        }}
        """

    func withWeCom(_ body: @Sendable (WeComClient, String) async throws -> Void) async throws {
        try await withSandbox(seed: Self.seed) { _, baseURL in
            let client = WeComClient(configuration: .init(baseURL: baseURL, corpID: "wwcorp", agentID: 1000002, secret: "app-secret", timeout: .seconds(10)))
            try await body(client, baseURL)
        }
    }

    @Test
    func membersAreFoundByMobileAndEmailAndAMissOnesIs46004() async throws {
        try await withWeCom { wecom, _ in
            let byMobile = try await wecom.userID(mobile: "13800000001")
            let byEmail = try await wecom.userID(email: "ZhangSan@corp.example")
            #expect([byMobile, byEmail] == ["zhangsan", "zhangsan"])
            // `email_type` 1 is the corporate mailbox (biz_mail), 2 the personal address (email).
            #expect(try await wecom.userID(email: "lisi@home.example", corporate: false) == "lisi")
            let personalAsCorporate = await #expect(throws: WeComError.self) { try await wecom.userID(email: "lisi@home.example") }
            #expect(personalAsCorporate?.errcode == 46004)
            let corporateAsPersonal = await #expect(throws: WeComError.self) {
                try await wecom.userID(email: "zhangsan@corp.example", corporate: false)
            }
            #expect(corporateAsPersonal?.errcode == 46004)
            let error = await #expect(throws: WeComError.self) { try await wecom.userID(mobile: "13900000000") }
            #expect(error?.errcode == 46004)
            #expect(error?.category == .permanent)
        }
    }

    @Test
    func aDepartmentReachesItsMembersAndUnknownOnesAreReported() async throws {
        try await withWeCom { wecom, baseURL in
            let result = try await wecom.send(.text("部门通知"), to: .init(parties: ["3", "99"]))
            #expect(result.invalidParties == ["99"])
            let recipients = try await wecomMessages(baseURL).filter { $0["outcome"] as? String == "accepted" }
                .compactMap { $0["recipient"] as? String }
            #expect(recipients.sorted() == ["lisi", "wangwu"])
            let empty = await #expect(throws: WeComError.self) { try await wecom.send(.text("x"), to: .init(parties: ["4"])) }
            #expect(empty?.errcode == 81013)
        }
    }

    @Test
    func appChatsAreCreatedAndSentTo() async throws {
        try await withWeCom { wecom, baseURL in
            let chatID = try await wecom.createChat(name: "发布群", members: ["zhangsan", "lisi"], chatID: "release1")
            #expect(chatID == "release1")
            try await wecom.sendToChat(.markdown("**已发布**"), chatID: chatID)
            let generated = try await wecom.createChat(name: "值班", members: ["lisi", "wangwu"], owner: "wangwu")
            #expect(!generated.isEmpty && generated != chatID)

            let taken = await #expect(throws: WeComError.self) { try await wecom.createChat(name: "x", members: ["zhangsan", "lisi"], chatID: "release1") }
            #expect(taken?.category == .permanent)
            let stranger = await #expect(throws: WeComError.self) { try await wecom.createChat(name: "x", members: ["zhangsan", "ghost"]) }
            #expect(stranger?.errcode == 60111)
            let missing = await #expect(throws: WeComError.self) { try await wecom.sendToChat(.text("x"), chatID: "nochat") }
            #expect(missing?.errcode == 86003)

            let toChats = try await wecomMessages(baseURL).filter { $0["recipient_type"] as? String == "chatid" }
            #expect(toChats.compactMap { $0["outcome"] as? String } == ["accepted", "rejected"])
        }
    }

    @Test
    func uploadedMediaCanBeSentForThreeDaysAndInventedIdsAre40007() async throws {
        try await withWeCom { wecom, baseURL in
            let png = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] + Array(repeating: 0x2D, count: 64))
            let media = try await wecom.uploadMedia(png, filename: "chart.png", type: .image, contentType: "image/png")
            #expect(media.type == "image")
            #expect(media.createdAt > 0)
            _ = try await wecom.send(.image(mediaID: media.mediaID), to: .init(users: ["zhangsan"]))

            let invented = await #expect(throws: WeComError.self) { try await wecom.send(.file(mediaID: "made-up"), to: .init(users: ["zhangsan"])) }
            #expect(invented?.errcode == 40007)
            let tiny = await #expect(throws: WeComError.self) { try await wecom.uploadMedia(Data("abc".utf8), filename: "a.txt", type: .file) }
            #expect(tiny?.errcode == 40006)

            try await control(baseURL, "/_sandbox/clock/advance", #"{"seconds": 259201}"#)
            let expired = await #expect(throws: WeComError.self) { try await wecom.send(.image(mediaID: media.mediaID), to: .init(users: ["zhangsan"])) }
            #expect(expired?.errcode == 40007)
        }
    }

    @Test
    func theSandboxRefusesAnUploadThatIsNotMultipartOrTooSmall() async throws {
        try await withWeCom { wecom, baseURL in
            let token = try await wecom.fetchToken().token
            var request = URLRequest(url: URL(string: baseURL + "/cgi-bin/media/upload?access_token=\(token)&type=file")!)
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data("{}".utf8)
            var (data, _) = try await URLSession.shared.data(for: request)
            #expect(String(decoding: data, as: UTF8.self).contains("40058"))

            let boundary = "b0undary"
            request.setValue("multipart/form-data; boundary=\(boundary)", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"media\"; filename=\"a\"\r\n\r\nabc\r\n--\(boundary)--\r\n".utf8)
            (data, _) = try await URLSession.shared.data(for: request)
            #expect(String(decoding: data, as: UTF8.self).contains("40006"))
        }
    }
}
