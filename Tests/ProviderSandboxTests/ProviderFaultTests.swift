import DingTalkKit
import Foundation
import NIOCore
import ProviderSandbox
import Testing
import WeComKit

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The fault kinds on WeCom and DingTalk (Lark's are in LarkSandboxFaultTests).
@Suite(.timeLimit(.minutes(1)))
struct ProviderFaultTests {
    static let seed = """
        {"wecom": {"apps": [{"corp_id": "wwcorp", "agent_id": 1000002, "secret": "app-secret"}],
                   "users": [{"corp_id": "wwcorp", "userid": "zhangsan", "name": "张三"}],
                   "robots": [{"key": "robot-key"}]},
         "dingtalk": {"robots": [{"access_token": "dt-token"}]}}
        """

    /// A client with a deadline long enough for a loaded machine; the `timeout` fault's test passes
    /// a short one, since it waits that deadline out.
    func wecom(_ baseURL: String, timeout: TimeAmount = .seconds(10)) -> WeComClient {
        WeComClient(configuration: .init(baseURL: baseURL, corpID: "wwcorp", agentID: 1000002, secret: "app-secret", timeout: timeout))
    }

    @Test
    func wecomFaultsAreCategorisedByTheKit() async throws {
        try await withSandbox(seed: Self.seed) { _, baseURL in
            let client = wecom(baseURL)
            _ = try await client.fetchToken()
            try await control(baseURL, "/_sandbox/faults", #"{"provider": "wecom", "app_id": "wwcorp", "kind": "force_error", "code": 45009, "http_status": 200, "count": 1}"#)
            let limited = await #expect(throws: WeComError.self) { try await client.send(.text("x"), to: .init(users: ["zhangsan"])) }
            #expect(limited?.category == .rateLimited(retryAfter: WeComError.frequencyBlock))
            _ = try await client.send(.text("after the forced error"), to: .init(users: ["zhangsan"]))

            try await control(baseURL, "/_sandbox/faults", #"{"provider": "wecom", "app_id": "wwcorp", "kind": "error_rate", "rate": 1}"#)
            let busy = await #expect(throws: WeComError.self) { try await client.send(.text("x"), to: .init(users: ["zhangsan"])) }
            #expect(busy?.category == .retryable)
            #expect(busy?.errcode == -1)
            #expect(busy?.httpStatus == 200)  // as WeCom answers "system busy"
            try await deleteFaults(baseURL)

            // A short deadline to wait out, and a token fetched before the fault holds every call.
            let impatient = wecom(baseURL, timeout: .milliseconds(1500))
            _ = try await impatient.send(.text("warms its token cache"), to: .init(users: ["zhangsan"]))
            try await control(baseURL, "/_sandbox/faults", #"{"provider": "wecom", "app_id": "wwcorp", "kind": "timeout"}"#)
            let hung = await #expect(throws: WeComError.self) { try await impatient.send(.text("x"), to: .init(users: ["zhangsan"])) }
            #expect(hung?.category == .maybeDelivered, "\(String(describing: hung))")  // the send went out; its answer never came
            try await deleteFaults(baseURL)

            try await control(baseURL, "/_sandbox/faults", #"{"provider": "wecom", "app_id": "robot-key", "kind": "force_error", "code": -1, "count": 1}"#)
            let robotBusy = await #expect(throws: WeComError.self) { try await WeComRobot(baseURL: baseURL, key: "robot-key").send(.text("x")) }
            #expect(robotBusy?.category == .retryable)
        }
    }

    @Test
    func dingtalkFaultsReachTheRobot() async throws {
        try await withSandbox(seed: Self.seed) { _, baseURL in
            let robot = DingTalkRobot(baseURL: baseURL, accessToken: "dt-token")
            try await control(baseURL, "/_sandbox/faults", #"{"provider": "dingtalk", "app_id": "dt-token", "kind": "error_rate", "rate": 1}"#)
            await #expect(throws: DingTalkError.self) { try await robot.send(.text("x")) }
            try await deleteFaults(baseURL)
            try await robot.send(.text("recovered"))
        }
    }

    @Test
    func aDroppedAnswerIsMaybeDeliveredOnWeComAndDingTalkToo() async throws {
        try await withSandbox(seed: Self.seed) { _, baseURL in
            let client = wecom(baseURL)
            _ = try await client.fetchToken()
            try await control(baseURL, "/_sandbox/faults", #"{"provider": "wecom", "app_id": "wwcorp", "kind": "drop_response"}"#)
            let lost = await #expect(throws: WeComError.self) { try await client.send(.text("x"), to: .init(users: ["zhangsan"])) }
            #expect(lost?.category == .maybeDelivered)
            _ = try await client.send(.text("answered again"), to: .init(users: ["zhangsan"]))

            let robot = DingTalkRobot(baseURL: baseURL, accessToken: "dt-token")
            try await control(baseURL, "/_sandbox/faults", #"{"provider": "dingtalk", "app_id": "dt-token", "kind": "drop_response"}"#)
            let robotLost = await #expect(throws: DingTalkError.self) { try await robot.send(.text("x")) }
            #expect(robotLost?.category == .maybeDelivered)
            try await robot.send(.text("answered again"))
        }
    }

    @Test
    func anUnknownProviderOrAKindItCannotHaveIsRefused() async throws {
        try await withSandbox(seed: Self.seed) { _, baseURL in
            for body in [#"{"provider": "slack", "app_id": "x", "kind": "timeout"}"#, #"{"provider": "dingtalk", "app_id": "dt-token", "kind": "revoke_tokens"}"#] {
                var request = URLRequest(url: URL(string: baseURL + "/_sandbox/faults")!)
                request.httpMethod = "POST"
                request.httpBody = Data(body.utf8)
                let (_, response) = try await URLSession.shared.data(for: request)
                #expect((response as? HTTPURLResponse)?.statusCode == 400)
            }
        }
    }

    func deleteFaults(_ baseURL: String) async throws {
        var request = URLRequest(url: URL(string: baseURL + "/_sandbox/faults")!)
        request.httpMethod = "DELETE"
        _ = try await URLSession.shared.data(for: request)
    }
}
