import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import ProviderSandbox
import Testing
import WeComKit

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// WeComKit against the sandbox over real HTTP.
@Suite(.timeLimit(.minutes(1)))
struct WeComClientSandboxTests {
    static let seed = """
        {"wecom": {
          "apps": [{"corp_id": "wwcorp", "agent_id": 1000002, "secret": "app-secret"},
                   {"corp_id": "wwcorp", "agent_id": 1000003, "secret": "other-secret"}],
          "users": [{"corp_id": "wwcorp", "userid": "zhangsan", "name": "张三"},
                    {"corp_id": "wwcorp", "userid": "lisi", "name": "李四"}]
        }}
        """

    func withWeComSandbox(_ body: @Sendable (String) async throws -> Void) async throws {
        try await withSandbox(seed: Self.seed) { _, baseURL in try await body(baseURL) }
    }

    func client(_ baseURL: String, agent: Int = 1000002, secret: String = "app-secret") -> WeComClient {
        WeComClient(configuration: .init(baseURL: baseURL, corpID: "wwcorp", agentID: agent, secret: secret, timeout: .seconds(10)))
    }

    @Test
    func gettokenReturnsTheSameTokenWhileValid() async throws {
        try await withWeComSandbox { baseURL in
            let first = try await client(baseURL).fetchToken()
            #expect(first.expiresIn == 7200)
            #expect(try await client(baseURL).fetchToken().token == first.token)
            try await control(baseURL, "/_sandbox/clock/advance", #"{"seconds": 7201}"#)
            #expect(try await client(baseURL).fetchToken().token != first.token)
        }
    }

    @Test
    func partlyInvalidRecipientsAreReportedNotHidden() async throws {
        try await withWeComSandbox { baseURL in
            let result = try await client(baseURL).send(.text("发布完成"), to: .init(users: ["zhangsan", "Ghost", "lisi"]))
            #expect(result.messageID != nil)
            #expect(result.invalidUsers == ["ghost"])
            #expect(!result.reachedEveryone)
            let all = try await client(baseURL).send(.markdown("**ok**"), to: .init(users: ["zhangsan", "lisi"]))
            #expect(all.reachedEveryone)
        }
    }

    @Test
    func wecomsErrorsAreCategorised() async throws {
        try await withWeComSandbox { baseURL in
            let cases: [(WeComClient, WeComMessageContent, WeComRecipients, Int, WeComError.Category)] = [
                (client(baseURL), .text("x"), .init(users: ["nobody"]), 81013, .permanent),
                (client(baseURL), .text(""), .init(users: ["zhangsan"]), 44004, .permanent),
                (client(baseURL), .markdown(String(repeating: "字", count: 700)), .init(users: ["zhangsan"]), 45002, .permanent),
                (client(baseURL, secret: "wrong"), .text("x"), .init(users: ["zhangsan"]), 40001, .permanent),
            ]
            for (client, content, recipients, errcode, category) in cases {
                let error = await #expect(throws: WeComError.self) { try await client.send(content, to: recipients) }
                #expect(error?.errcode == errcode)
                #expect(error?.category == category)
            }
        }
    }

    @Test
    func revokedTokensAreRefetchedAndTheSendRetriedOnce() async throws {
        try await withWeComSandbox { baseURL in
            let wecom = client(baseURL)
            _ = try await wecom.send(.text("one"), to: .init(users: ["zhangsan"]))
            try await control(baseURL, "/_sandbox/faults", #"{"provider": "wecom", "app_id": "wwcorp", "kind": "revoke_tokens"}"#)
            _ = try await wecom.send(.text("two"), to: .init(users: ["zhangsan"]))
            let accepted = try await wecomMessages(baseURL).filter { $0["outcome"] as? String == "accepted" }
            #expect(accepted.count == 2)
        }
    }

    @Test
    func duplicateCheckAndThePerMemberLimitDropSilently() async throws {
        try await withWeComSandbox { baseURL in
            let wecom = client(baseURL)
            let first = try await wecom.send(.text("same"), to: .init(users: ["lisi"]), duplicateCheckInterval: 600)
            let again = try await wecom.send(.text("same"), to: .init(users: ["lisi"]), duplicateCheckInterval: 600)
            #expect(again.messageID == first.messageID)
            for index in 0..<31 {
                _ = try await wecom.send(.text("n\(index)"), to: .init(users: ["zhangsan"]))
            }
            let records = try await wecomMessages(baseURL)
            #expect(records.filter { $0["recipient"] as? String == "lisi" }.compactMap { $0["outcome"] as? String } == ["accepted", "dropped"])
            let toZhangsan = records.filter { $0["recipient"] as? String == "zhangsan" }.compactMap { $0["outcome"] as? String }
            #expect(toZhangsan.filter { $0 == "accepted" }.count == 30)
            #expect(toZhangsan.last == "dropped")
        }
    }

    @Test
    func aTokenOfOneAgentCannotSendAsAnother() async throws {
        try await withWeComSandbox { baseURL in
            let token = try await client(baseURL, agent: 1000003, secret: "other-secret").fetchToken().token
            var request = URLRequest(url: URL(string: baseURL + "/cgi-bin/message/send?access_token=\(token)")!)
            request.httpMethod = "POST"
            request.httpBody = Data(#"{"touser":"zhangsan","msgtype":"text","agentid":1000002,"text":{"content":"x"}}"#.utf8)
            let (data, _) = try await URLSession.shared.data(for: request)
            #expect(String(decoding: data, as: UTF8.self).contains("301002"))
        }
    }
}

func wecomMessages(_ baseURL: String) async throws -> [[String: Any]] {
    let (data, _) = try await URLSession.shared.data(from: URL(string: baseURL + "/_sandbox/messages?provider=wecom")!)
    return (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["messages"] as? [[String: Any]] ?? []
}
