import Foundation
import NIOCore
import ProviderSandbox
import Testing
import WeComKit

/// What `message/send` does with content and recipients as WeCom does: the message types, text
/// truncation, tags, unlicensed members and the per-member hourly limit.
@Suite(.timeLimit(.minutes(1)))
struct WeComSendBehaviourTests {
    func withWeCom(_ body: @Sendable (WeComClient, String) async throws -> Void) async throws {
        try await withSandbox(seed: WeComClientSandboxTests.seed) { _, baseURL in
            try await body(
                WeComClient(configuration: .init(baseURL: baseURL, corpID: "wwcorp", agentID: 1000002, secret: "app-secret", timeout: .seconds(5))),
                baseURL)
        }
    }

    /// The object under `msgtype` of each accepted message, in order.
    func sentObjects(_ baseURL: String) async throws -> [[String: Any]] {
        try await wecomMessages(baseURL).filter { $0["outcome"] as? String == "accepted" }.map { record in
            try JSONSerialization.jsonObject(with: Data((record["content"] as? String ?? "").utf8)) as? [String: Any] ?? [:]
        }
    }

    @Test
    func voiceVideoMPNewsAndMiniProgramNoticesAreSentInWeComsShape() async throws {
        try await withWeCom { client, baseURL in
            let voice = try await client.uploadMedia(Data(repeating: 1, count: 64), filename: "a.amr", type: .voice)
            let video = try await client.uploadMedia(Data(repeating: 2, count: 64), filename: "a.mp4", type: .video)
            let thumb = try await client.uploadMedia(Data(repeating: 3, count: 64), filename: "a.png", type: .image)
            let notice = WeComMiniprogramNotice(
                appID: "wx123", page: "pages/index?x=1", title: "会议室预订成功", description: "4月27日 16:16",
                emphasizeFirstItem: true, items: [(key: "会议室", value: "402"), (key: "日期", value: "2018年8月1日")])
            let contents: [WeComMessageContent] = [
                .voice(mediaID: voice.mediaID),
                .video(mediaID: video.mediaID, title: "Demo", description: "v1.2"),
                .mpnews([WeComMPNewsArticle(title: "周报", thumbMediaID: thumb.mediaID, content: "<p>ok</p>", author: "ops", digest: "本周")]),
                .miniprogramNotice(notice),
            ]
            for content in contents {
                #expect(try await client.send(content, to: .init(users: ["zhangsan"])).reachedEveryone)
            }
            let sent = try await sentObjects(baseURL)
            #expect(sent.count == 4)
            #expect(sent[0]["media_id"] as? String == voice.mediaID)
            #expect(sent[1]["title"] as? String == "Demo" && sent[1]["description"] as? String == "v1.2")
            let article = (sent[2]["articles"] as? [[String: Any]])?.first
            #expect(article?["thumb_media_id"] as? String == thumb.mediaID && article?["content"] as? String == "<p>ok</p>")
            #expect(sent[3]["appid"] as? String == "wx123" && sent[3]["emphasis_first_item"] as? Bool == true)
            #expect((sent[3]["content_item"] as? [[String: String]])?.map { $0["key"] ?? "" } == ["会议室", "日期"])

            let missing = await #expect(throws: WeComError.self) {
                try await client.send(.mpnews([WeComMPNewsArticle(title: "t", thumbMediaID: "made-up", content: "c")]), to: .init(users: ["zhangsan"]))
            }
            #expect(missing?.errcode == 40007)
        }
    }

    @Test
    func textOverTwoThousandBytesIsTruncatedNotRefused() async throws {
        try await withWeCom { client, baseURL in
            let result = try await client.send(.text(String(repeating: "字", count: 1000)), to: .init(users: ["zhangsan"]))
            #expect(result.reachedEveryone)
            let text = try await sentObjects(baseURL).first?["content"] as? String
            #expect(text == String(repeating: "字", count: 682))  // 2,046 bytes: whole characters within 2,048
            let records = try await wecomMessages(baseURL)
            #expect(records.first?["reason"] as? String == "text truncated to 2048 bytes")
        }
    }

    @Test
    func tagsReachTheirMembersAndUnlicensedMembersAreListedNotSent() async throws {
        try await withWeCom { client, baseURL in
            try await control(baseURL, "/_sandbox/wecom/users", #"{"corp_id": "wwcorp", "userid": "wangwu", "name": "王五", "licensed": false}"#)
            try await control(baseURL, "/_sandbox/wecom/users", #"{"corp_id": "wwcorp", "userid": "zhaoliu", "name": "赵六", "department": [5]}"#)
            try await control(baseURL, "/_sandbox/wecom/tags", #"{"corp_id": "wwcorp", "tagid": 7, "tagname": "oncall", "userlist": ["zhangsan", "wangwu"], "partylist": [5]}"#)
            let result = try await client.send(.text("page"), to: .init(tags: ["7", "99"]))
            #expect(result.invalidTags == ["99"])
            #expect(result.unlicensedUsers == ["wangwu"])
            #expect(!result.reachedEveryone)
            let records = try await wecomMessages(baseURL)
            let accepted = records.filter { $0["outcome"] as? String == "accepted" }.compactMap { $0["recipient"] as? String }
            #expect(accepted == ["zhangsan", "zhaoliu"])
            #expect(records.contains { $0["recipient"] as? String == "wangwu" && $0["reason"] as? String == "unlicenseduser" })
        }
    }

    @Test
    func aMemberGetsAtMostAThousandMessagesAnHourFromAnAppTheRestDroppedSilently() async throws {
        try await withWeCom { client, baseURL in
            try await control(baseURL, "/_sandbox/clock/freeze", "{}")
            for index in 0..<1001 {
                if index > 0, index % 30 == 0 { try await control(baseURL, "/_sandbox/clock/advance", #"{"seconds": 61}"#) }
                _ = try await client.send(.text("n\(index)"), to: .init(users: ["lisi"]))  // answered as sent, every time
            }
            var outcomes = try await wecomMessages(baseURL).filter { $0["recipient"] as? String == "lisi" }
            #expect(outcomes.filter { $0["outcome"] as? String == "accepted" }.count == 1000)
            #expect(outcomes.last?["outcome"] as? String == "dropped")
            #expect((outcomes.last?["reason"] as? String)?.contains("1000 messages an hour") == true)
            try await control(baseURL, "/_sandbox/clock/advance", #"{"seconds": 3600}"#)
            _ = try await client.send(.text("an hour later"), to: .init(users: ["lisi"]))
            outcomes = try await wecomMessages(baseURL).filter { $0["recipient"] as? String == "lisi" }
            #expect(outcomes.last?["outcome"] as? String == "accepted")
        }
    }
}
