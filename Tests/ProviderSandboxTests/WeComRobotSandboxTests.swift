import Foundation
import NIOCore
import ProviderSandbox
import Testing
import WeComKit

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// WeComRobot (group robot webhook) against the sandbox.
@Suite(.timeLimit(.minutes(1)))
struct WeComRobotSandboxTests {
    func withRobot(_ body: @Sendable (WeComRobot, String) async throws -> Void) async throws {
        try await withSandbox(seed: #"{"wecom": {"robots": [{"key": "693a91f6-7xxx"}]}}"#) { _, baseURL in
            try await body(WeComRobot(baseURL: baseURL, key: "693a91f6-7xxx", timeout: .seconds(10)), baseURL)
        }
    }

    @Test
    func everyMessageTypeIsAccepted() async throws {
        try await withRobot { robot, baseURL in
            try await robot.send(.text("构建失败", mentionedUserIDs: ["zhangsan"], mentionedMobiles: ["@all"]))
            try await robot.send(.markdown("**构建失败** <@zhangsan>"))
            try await robot.send(.image(Data(repeating: 0x42, count: 100)))
            try await robot.send(.news([WeComArticle(title: "日报", url: "https://corp.example/daily")]))
            let file = try await robot.upload(Data("col1,col2\n1,2\n".utf8), filename: "report.csv")
            try await robot.send(.file(mediaID: file.mediaID))
            let records = try await wecomMessages(baseURL)
            #expect(records.compactMap { $0["outcome"] as? String } == Array(repeating: "accepted", count: 5))
            #expect(records.compactMap { $0["message_type"] as? String } == ["text", "markdown", "image", "news", "file"])
        }
    }

    @Test
    func anUnknownKeyIs93000AndTheTwentyFirstMessageInAMinuteIs45009() async throws {
        try await withRobot { robot, baseURL in
            try await control(baseURL, "/_sandbox/clock/freeze", "{}")
            let unknown = await #expect(throws: WeComError.self) {
                try await WeComRobot(baseURL: baseURL, key: "removed").send(.text("x"))
            }
            #expect(unknown?.errcode == 93000)
            #expect(unknown?.category == .permanent)
            for index in 0..<20 { try await robot.send(.text("\(index)")) }
            let limited = await #expect(throws: WeComError.self) { try await robot.send(.text("20")) }
            #expect(limited?.errcode == 45009)
            #expect(limited?.category == .rateLimited(retryAfter: .seconds(60)))
            try await control(baseURL, "/_sandbox/clock/advance", #"{"seconds": 61}"#)
            try await robot.send(.text("next minute"))
        }
    }

    @Test
    func contentLimitsAndABadImageDigestAreRefused() async throws {
        try await withRobot { robot, baseURL in
            let long = await #expect(throws: WeComError.self) { try await robot.send(.markdown(String(repeating: "a", count: 4097))) }
            #expect(long?.errcode == 45002)
            try await robot.send(.markdown(String(repeating: "a", count: 4096)))
            let empty = await #expect(throws: WeComError.self) { try await robot.send(.text("")) }
            #expect(empty?.errcode == 44004)

            var request = URLRequest(url: URL(string: baseURL + "/cgi-bin/webhook/send?key=693a91f6-7xxx")!)
            request.httpMethod = "POST"
            let image = Data(repeating: 7, count: 32).base64EncodedString()
            request.httpBody = Data(#"{"msgtype":"image","image":{"base64":"\#(image)","md5":"00000000000000000000000000000000"}}"#.utf8)
            let (data, _) = try await URLSession.shared.data(for: request)
            #expect(String(decoding: data, as: UTF8.self).contains("40058"))
        }
    }
}
