import DingTalkKit
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import ProviderSandbox
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// DingTalkKit's robot against the sandbox over real HTTP.
@Suite(.timeLimit(.minutes(1)))
struct DingTalkRobotSandboxTests {
    static let seed = """
        {"dingtalk": {"robots": [{"access_token": "signed-robot", "secret": "SECtestsecret"}, {"access_token": "plain-robot"},
                                 {"access_token": "keyword-robot", "keywords": ["告警", "deploy"]},
                                 {"access_token": "office-robot", "ip_allowlist": ["10.0.0.7", "192.168.0.0/16"]},
                                 {"access_token": "loopback-robot", "ip_allowlist": ["10.0.0.7", "127.0.0.0/8", "::1"]}]}}
        """

    func withDingTalkSandbox(_ body: @Sendable (String) async throws -> Void) async throws {
        try await withSandbox(seed: Self.seed) { _, baseURL in try await body(baseURL) }
    }

    @Test
    func signedAndUnsignedRobotsSendEveryMessageType() async throws {
        try await withDingTalkSandbox { baseURL in
            let signed = DingTalkRobot(baseURL: baseURL, accessToken: "signed-robot", secret: "SECtestsecret")
            let messages: [DingTalkMessage] = [
                .text("磁盘 91%", atMobiles: ["13800000000"]),
                .link(title: "Release", text: "v1.2", messageURL: "https://example.com/r"),
                .markdown(title: "Alert", text: "**db-1** is down @manager01", atUserIDs: ["manager01"]),
                .actionCard(title: "Approve", text: "Deploy?", buttonTitle: "Open", buttonURL: "https://example.com/a"),
                .multiButtonCard(title: "Deploy?", text: "v1.2 to production", buttons: [
                    DingTalkCardButton(title: "Approve", actionURL: "https://example.com/yes"),
                    DingTalkCardButton(title: "Reject", actionURL: "https://example.com/no"),
                ], horizontal: true),
                .feedCard([DingTalkFeedLink(title: "One", messageURL: "https://example.com/1", pictureURL: "https://example.com/1.png")]),
            ]
            for message in messages { try await signed.send(message) }
            try await DingTalkRobot(baseURL: baseURL, accessToken: "plain-robot").send(.text("no signing"))
            let (data, _) = try await URLSession.shared.data(from: URL(string: baseURL + "/_sandbox/messages?provider=dingtalk")!)
            let records = (try JSONSerialization.jsonObject(with: data) as? [String: Any])?["messages"] as? [[String: Any]] ?? []
            #expect(records.compactMap { $0["message_type"] as? String } == ["text", "link", "markdown", "actionCard", "actionCard", "feedCard", "text"])
            #expect(records.allSatisfy { $0["outcome"] as? String == "accepted" })
        }
    }

    @Test
    func anActionCardWithNeitherOneButtonNorAListIsRefused() async throws {
        try await withDingTalkSandbox { baseURL in
            var request = URLRequest(url: URL(string: baseURL + "/robot/send?access_token=plain-robot")!)
            request.httpMethod = "POST"
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
            request.httpBody = Data(#"{"msgtype":"actionCard","actionCard":{"title":"T","text":"no buttons"}}"#.utf8)
            let (data, _) = try await URLSession.shared.data(for: request)
            let answer = try JSONSerialization.jsonObject(with: data) as? [String: Any]
            #expect(answer?["errcode"] as? Int == 40035)
        }
    }

    @Test
    func aWrongSecretOrAStaleTimestampFailsTheSignatureCheck() async throws {
        try await withDingTalkSandbox { baseURL in
            let wrong = DingTalkRobot(baseURL: baseURL, accessToken: "signed-robot", secret: "SECwrong")
            let error = await #expect(throws: DingTalkError.self) { try await wrong.send(.text("x")) }
            #expect(error?.errcode == 310000)
            #expect(error?.category == .permanent)
            let stale = DingTalkRobot(
                baseURL: baseURL, accessToken: "signed-robot", secret: "SECtestsecret", now: { Date().addingTimeInterval(-7200) })
            let staleError = await #expect(throws: DingTalkError.self) { try await stale.send(.text("x")) }
            #expect(staleError?.errcode == 310000)
            #expect(staleError?.errmsg == "invalid timestamp" && staleError?.refusedBy == .signature)
            let unknown = await #expect(throws: DingTalkError.self) {
                try await DingTalkRobot(baseURL: baseURL, accessToken: "nope").send(.text("x"))
            }
            #expect(unknown?.errcode == 300001)
        }
    }

    @Test
    func aKeywordRobotRefusesAMessageWithoutOneOfItsKeywords() async throws {
        try await withDingTalkSandbox { baseURL in
            let robot = DingTalkRobot(baseURL: baseURL, accessToken: "keyword-robot")
            let error = await #expect(throws: DingTalkError.self) { try await robot.send(.text("disk 91% on db-1")) }
            #expect(error?.errcode == 310000)
            #expect(error?.errmsg.hasPrefix("keywords not in content") == true)
            #expect(error?.category == .permanent)
            #expect(error?.refusedBy == .keywords)
            try await robot.send(.text("【告警】disk 91% on db-1"))
            try await robot.send(.markdown(title: "deploy", text: "v1.2 is out"))
            try await robot.send(.multiButtonCard(title: "Release", text: "v1.2", buttons: [
                DingTalkCardButton(title: "deploy now", actionURL: "https://example.com/deploy"),
            ]))
            // A keyword only in a link does not count.
            await #expect(throws: DingTalkError.self) {
                try await robot.send(.link(title: "Release", text: "v1.2", messageURL: "https://example.com/deploy"))
            }
        }
    }

    @Test
    func anIPAllowlistRefusesASendFromAnyOtherAddress() async throws {
        try await withDingTalkSandbox { baseURL in
            let error = await #expect(throws: DingTalkError.self) {
                try await DingTalkRobot(baseURL: baseURL, accessToken: "office-robot").send(.text("x"))
            }
            #expect(error?.errcode == 310000)
            #expect(error?.errmsg.hasPrefix("ip 127.0.0.1 not in whitelist") == true)
            #expect(error?.category == .permanent)
            #expect(error?.refusedBy == .ipAllowlist)
            #expect(error?.refusedBy?.refusesEveryMessage == true)
            try await DingTalkRobot(baseURL: baseURL, accessToken: "loopback-robot").send(.text("from an allowed range"))
        }
    }

    @Test
    func theTwentyFirstMessageInAMinuteThrottlesTheRobotForTenMinutes() async throws {
        try await withDingTalkSandbox { baseURL in
            let robot = DingTalkRobot(baseURL: baseURL, accessToken: "plain-robot")
            for index in 0..<20 { try await robot.send(.text("\(index)")) }
            let error = await #expect(throws: DingTalkError.self) { try await robot.send(.text("21st")) }
            #expect(error?.errcode == 130101)
            #expect(error?.category == .rateLimited(retryAfter: .seconds(600)))
            try await control(baseURL, "/_sandbox/clock/advance", #"{"seconds": 120}"#)
            await #expect(throws: DingTalkError.self) { try await robot.send(.text("still throttled")) }
            try await control(baseURL, "/_sandbox/clock/advance", #"{"seconds": 500}"#)
            try await robot.send(.text("after ten minutes"))
        }
    }
}
