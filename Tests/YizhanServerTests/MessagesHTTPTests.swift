import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import HTTPTypes
import SQLKit
import HummingbirdTesting
import Logging
import ProviderSandbox
import Testing
import YizhanCore
import YizhanIdentity
import YizhanJobs
@testable import YizhanServer
import YizhanStorage
import YizhanTesting

/// `POST /api/v1/messages` and its dispatch on both engines: accepted over HTTP, sent by a worker
/// running the `messaging.dispatch` jobs, against the provider sandbox over real HTTP.
@Suite(.timeLimit(.minutes(3)))
struct MessagesHTTPTests {
    @Test(arguments: TestEngines.all)
    func aLarkMessageReachesEachRecipientOnceAndSaysSo(engine: DatabaseEngine) async throws {
        try await withMessagingApp(engine) { app in
            let lark = try await app.register(["name": "Lark", "provider": "lark", "credentials": ["app_id": "cli_msg", "app_secret": "LarkMsgSecret"]])
            let sent = try await app.api.call(.post, "/api/v1/messages", token: app.token, json: [
                "app": lark, "message": ["type": "text", "text": "磁盘使用率 92%"], "metadata": ["job": "nightly"],
                "recipients": [["type": "open_id", "id": "ou_alice"], ["type": "email", "id": "bob@corp.example"], ["type": "open_id", "id": "ou_nobody"]],
            ])
            #expect(sent.status == 202, "\(sent.body)")
            #expect(sent.data["status"] as? String == "pending")
            let id = try #require(sent.data["id"] as? String)
            let message = try await app.waitUntilFinal(id)
            #expect(message["status"] as? String == "partially_failed", "\(message)")
            let recipients = try #require(message["recipients"] as? [[String: Any]])
            #expect(recipients.map { $0["status"] as? String } == ["sent", "sent", "failed"])
            #expect(recipients.map { $0["id"] as? String } == ["ou_alice", "bob@corp.example", "ou_nobody"])
            #expect(recipients[2]["provider_code"] as? Int != nil && recipients[2]["reason"] as? String != nil)
            #expect(recipients[0]["provider_message_id"] as? String != nil)
            #expect((message["attempts"] as? [[String: Any]])?.count == 1)
            #expect((message["metadata"] as? [String: String]) == ["job": "nightly"])
            // The sandbox got one message per reachable person, each with its own uuid.
            let delivered = try await app.sandbox.messages("lark", "cli_msg").filter { $0["outcome"] as? String == "accepted" }
            #expect(delivered.count == 2)
            #expect(Set(delivered.compactMap { $0["dedupe_key"] as? String }) == ["\(id)-0", "\(id)-1"])
            let metrics = try await app.api.call(.get, "/metrics").body
            #expect(metrics.contains(#"yizhan_messages_accepted_total{provider="lark"} 1"#), "\(metrics)")
            #expect(metrics.contains(#"yizhan_message_recipients_total{provider="lark",status="sent"} 2"#))
            #expect(metrics.contains(#"yizhan_message_recipients_total{provider="lark",status="failed"} 1"#))
        }
    }

    @Test(arguments: TestEngines.all)
    func aWeComMessageToTwoMembersAndAnUnknownOneIsPartiallyFailedWithTheReason(engine: DatabaseEngine) async throws {
        try await withMessagingApp(engine) { app in
            let wecom = try await app.register([
                "name": "WeCom", "provider": "wecom", "credentials": ["corp_id": "wwmsg", "agent_id": 1_000_002, "secret": "WeComMsgSecret"],
            ])
            let sent = try await app.api.call(.post, "/api/v1/messages", token: app.token, json: [
                "app": wecom, "message": ["type": "markdown", "markdown": "**部署完成**"],
                "recipients": [["type": "userid", "id": "zhangsan"], ["type": "mobile", "id": "13800000002"], ["type": "userid", "id": "ghost"]],
            ])
            #expect(sent.status == 202, "\(sent.body)")
            let message = try await app.waitUntilFinal(try #require(sent.data["id"] as? String))
            #expect(message["status"] as? String == "partially_failed", "\(message)")
            let recipients = try #require(message["recipients"] as? [[String: Any]])
            #expect(recipients.map { $0["status"] as? String } == ["sent", "sent", "failed"])
            #expect((recipients[2]["reason"] as? String)?.hasPrefix("invaliduser") == true)
            // One call reached both members.
            #expect(try await app.sandbox.calls("wecom", "wwmsg", "/cgi-bin/message/send") == 1)
        }
    }

    @Test(arguments: TestEngines.all)
    func aLostAnswerIsRepeatedWithTheSameUUIDAndReachesThePersonOnce(engine: DatabaseEngine) async throws {
        try await withMessagingApp(engine) { app in
            let lark = try await app.register(["name": "Lark", "provider": "lark", "credentials": ["app_id": "cli_msg", "app_secret": "LarkMsgSecret"]])
            try await app.sandbox.fault(#"{"provider": "lark", "app_id": "cli_msg", "kind": "drop_response"}"#)
            let sent = try await app.api.call(.post, "/api/v1/messages", token: app.token, json: [
                "app": lark, "message": ["type": "text", "text": "once"], "recipients": [["type": "open_id", "id": "ou_alice"]],
            ])
            let message = try await app.waitUntilFinal(try #require(sent.data["id"] as? String))
            #expect(message["status"] as? String == "sent", "\(message)")
            let attempts = try #require(message["attempts"] as? [[String: Any]])
            #expect(attempts.map { $0["outcome"] as? String } == ["retry", "sent"])
            let records = try await app.sandbox.messages("lark", "cli_msg")
            #expect(records.filter { $0["outcome"] as? String == "accepted" }.count == 1, "\(records)")
            #expect(Set(records.compactMap { $0["dedupe_key"] as? String }).count == 1)
        }
    }

    @Test(arguments: TestEngines.all)
    func aSendStartedLongerAgoThanLarksDedupeWindowIsNeverRepeated(engine: DatabaseEngine) async throws {
        try await withMessagingApp(engine) { app in
            let lark = try await app.register(["name": "Lark", "provider": "lark", "credentials": ["app_id": "cli_msg", "app_secret": "LarkMsgSecret"]])
            let sendAt = ISO8601DateFormatter().string(from: Date().addingTimeInterval(2))
            let sent = try await app.api.call(.post, "/api/v1/messages", token: app.token, json: [
                "app": lark, "message": ["type": "text", "text": "x"], "send_at": sendAt,
                "recipients": [["type": "open_id", "id": "ou_alice"], ["type": "open_id", "id": "ou_bob"]],
            ])
            #expect(sent.data["status"] as? String == "scheduled", "\(sent.body)")
            let id = try #require(sent.data["id"] as? String)
            // As if a worker had started sending to Alice two hours ago and died before it learned the outcome.
            let twoHoursAgo = Int64(Date().addingTimeInterval(-7200).timeIntervalSince1970 * 1000)
            try await app.database.withConnection { work in
                try await work.raw("UPDATE message_recipients SET attempted_at = \(bind: twoHoursAgo) WHERE message_id = \(bind: id) AND position = 0").run()
            }
            let message = try await app.waitUntilFinal(id)
            #expect((message["recipients"] as? [[String: Any]])?.map { $0["status"] as? String } == ["unknown", "sent"], "\(message)")
            let accepted = try await app.sandbox.messages("lark", "cli_msg").filter { $0["outcome"] as? String == "accepted" }
            #expect(accepted.map { $0["recipient"] as? String } == ["ou_bob"])
        }
    }

    @Test(arguments: TestEngines.all)
    func aScheduledMessageCancelledInTimeIsNeverSentAndAFinishedOneCannotBe(engine: DatabaseEngine) async throws {
        try await withMessagingApp(engine) { app in
            let lark = try await app.register(["name": "Lark", "provider": "lark", "credentials": ["app_id": "cli_msg", "app_secret": "LarkMsgSecret"]])
            let body: [String: Any] = ["app": lark, "message": ["type": "text", "text": "later"], "recipients": [["type": "open_id", "id": "ou_alice"]]]
            let sendAt = ISO8601DateFormatter().string(from: Date().addingTimeInterval(1))
            let scheduled = try await app.api.call(.post, "/api/v1/messages", token: app.token, json: body.merging(["send_at": sendAt]) { $1 })
            let id = try #require(scheduled.data["id"] as? String)
            let cancelled = try await app.api.call(.post, "/api/v1/messages/\(id)/cancel", token: app.token)
            #expect(cancelled.status == 200 && cancelled.data["status"] as? String == "cancelled", "\(cancelled.body)")
            #expect((cancelled.data["recipients"] as? [[String: Any]])?.first?["reason"] as? String == "cancelled")
            let again = try await app.api.call(.post, "/api/v1/messages/\(id)/cancel", token: app.token)
            #expect(again.status == 409 && again.errorCode == "CONFLICT")
            // Its job comes due, finds it cancelled and ends; nothing reaches the sandbox.
            try await Task.sleep(for: .seconds(2))
            let sent = try await app.api.call(.post, "/api/v1/messages", token: app.token, json: body)
            #expect(try await app.waitUntilFinal(try #require(sent.data["id"] as? String))["status"] as? String == "sent")
            #expect(try await app.api.call(.get, "/api/v1/messages/\(id)", token: app.token).data["status"] as? String == "cancelled")
            #expect(try await app.sandbox.messages("lark", "cli_msg").count == 1)
            let late = try await app.api.call(.post, "/api/v1/messages/\(try #require(sent.data["id"] as? String))/cancel", token: app.token)
            #expect(late.status == 409)
            #expect(try await app.api.call(.post, "/api/v1/messages/msg_nothere/cancel", token: app.token).status == 404)
        }
    }

    @Test(arguments: TestEngines.all)
    func aRobotPostWhoseAnswerWasLostIsUnknownAndNotPostedAgain(engine: DatabaseEngine) async throws {
        try await withMessagingApp(engine) { app in
            let robot = try await app.register(["name": "robot", "provider": "wecom_robot", "credentials": ["key": "msg-robot-key"]], baseURL: true)
            try await app.sandbox.fault(#"{"provider": "wecom", "app_id": "msg-robot-key", "kind": "drop_response"}"#)
            let sent = try await app.api.call(.post, "/api/v1/messages", token: app.token, json: ["app": robot, "message": ["type": "text", "text": "x"]])
            let message = try await app.waitUntilFinal(try #require(sent.data["id"] as? String))
            #expect(message["status"] as? String == "partially_failed", "\(message)")
            #expect((message["recipients"] as? [[String: Any]])?.first?["status"] as? String == "unknown")
            #expect(try await app.sandbox.messages("wecom", "robot:msg-robot-key").count == 1)
        }
    }

    @Test(arguments: TestEngines.all)
    func anIdenticalWeComRequestWaitsForTheDuplicateCheckInsteadOfBeingDropped(engine: DatabaseEngine) async throws {
        try await withMessagingApp(engine) { app in
            let wecom = try await app.register([
                "name": "WeCom", "provider": "wecom", "credentials": ["corp_id": "wwmsg", "agent_id": 1_000_002, "secret": "WeComMsgSecret"],
            ])
            let body: [String: Any] = ["app": wecom, "message": ["type": "text", "text": "磁盘使用率 92%"], "recipients": [["type": "userid", "id": "zhangsan"]]]
            let first = try await app.api.call(.post, "/api/v1/messages", token: app.token, json: body)
            #expect(try await app.waitUntilFinal(try #require(first.data["id"] as? String))["status"] as? String == "sent")
            let second = try await app.api.call(.post, "/api/v1/messages", token: app.token, json: body)
            let id = try #require(second.data["id"] as? String)
            var waited: [String: Any] = [:]
            for _ in 0..<200 {
                waited = try await app.api.call(.get, "/api/v1/messages/\(id)", token: app.token).data
                if !((waited["attempts"] as? [Any]) ?? []).isEmpty { break }
                try await Task.sleep(for: .milliseconds(50))
            }
            #expect((waited["attempts"] as? [[String: Any]])?.first?["outcome"] as? String == "rate_limited", "\(waited)")
            #expect(waited["status"] as? String == "sending")
            #expect(try await app.sandbox.calls("wecom", "wwmsg", "/cgi-bin/message/send") == 1)
        }
    }

    @Test(arguments: TestEngines.all)
    func robotsPostToTheirGroup(engine: DatabaseEngine) async throws {
        try await withMessagingApp(engine) { app in
            let wecomRobot = try await app.register(["name": "robot", "provider": "wecom_robot", "credentials": ["key": "msg-robot-key"]], baseURL: true)
            let ding = try await app.register(
                ["name": "ding", "provider": "dingtalk_robot", "credentials": ["access_token": "msgdingtoken", "secret": "SECmsgding"]], baseURL: true)
            var ids: [String] = []
            for (robot, message) in [(wecomRobot, ["type": "text", "text": "构建失败"]), (ding, ["type": "markdown", "title": "构建", "markdown": "### 失败"])] {
                let sent = try await app.api.call(.post, "/api/v1/messages", token: app.token, json: ["app": robot, "message": message])
                #expect(sent.status == 202, "\(sent.body)")
                ids.append(try #require(sent.data["id"] as? String))
            }
            for id in ids {
                let message = try await app.waitUntilFinal(id)
                #expect(message["status"] as? String == "sent", "\(message)")
                #expect((message["recipients"] as? [[String: Any]])?.map { $0["type"] as? String } == ["group"])
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func badMessagesAreRefusedBeforeAnythingIsQueuedAndAKeyAnswersItsFirstMessage(engine: DatabaseEngine) async throws {
        try await withMessagingApp(engine, worker: false) { app in
            let lark = try await app.register(["name": "Lark", "provider": "lark", "credentials": ["app_id": "cli_msg", "app_secret": "LarkMsgSecret"]])
            let robot = try await app.register(["name": "robot", "provider": "wecom_robot", "credentials": ["key": "msg-robot-key"]], baseURL: true)
            let refusals: [([String: Any], Int, String, String?)] = [
                (["app": lark, "message": ["type": "markdown", "markdown": "x"], "recipients": [["type": "open_id", "id": "ou_a"]]], 400, "UNSUPPORTED_MESSAGE_TYPE", "message.type"),
                (["app": lark, "message": ["type": "text"], "recipients": [["type": "open_id", "id": "ou_a"]]], 400, "VALIDATION_ERROR", "message.text"),
                (["app": lark, "message": ["type": "text", "text": "x", "extra": 1], "recipients": [["type": "open_id", "id": "ou_a"]]], 400, "VALIDATION_ERROR", "message.extra"),
                (["app": lark, "message": ["type": "text", "text": String(repeating: "长", count: 60_000)], "recipients": [["type": "open_id", "id": "ou_a"]]], 400, "VALIDATION_ERROR", "message.text"),
                (["app": lark, "message": ["type": "text", "text": "x"]], 400, "VALIDATION_ERROR", "recipients"),
                (["app": lark, "message": ["type": "text", "text": "x"], "recipients": [["type": "userid", "id": "a"]]], 400, "VALIDATION_ERROR", "recipients[0].type"),
                (["app": lark, "message": ["type": "text", "text": "x"], "recipients": [["type": "open_id", "id": "a"], ["type": "open_id", "id": "a"]]], 400, "VALIDATION_ERROR", "recipients[1]"),
                (["app": robot, "message": ["type": "text", "text": "x"], "recipients": [["type": "userid", "id": "a"]]], 400, "VALIDATION_ERROR", "recipients"),
                (["app": "app_nothere", "message": ["type": "text", "text": "x"]], 404, "NOT_FOUND", nil),
            ]
            for (body, status, code, field) in refusals {
                let reply = try await app.api.call(.post, "/api/v1/messages", token: app.token, json: body)
                #expect(reply.status == status && reply.errorCode == code, "\(body) → \(reply.status) \(reply.body)")
                if let field {
                    #expect(((reply.json["error"] as? [String: Any])?["details"] as? [String: Any])?["field"] as? String == field, "\(reply.body)")
                }
            }
            #expect(try await app.count("SELECT COUNT(*) AS n FROM messages") == 0)
            #expect(try await app.count("SELECT COUNT(*) AS n FROM jobs WHERE kind = 'messaging.dispatch'") == 0)

            let body: [String: Any] = ["app": lark, "message": ["type": "text", "text": "once"], "recipients": [["type": "open_id", "id": "ou_alice"]]]
            let first = try await app.api.call(.post, "/api/v1/messages", token: app.token, json: body, headers: [.init("Idempotency-Key")!: "deploy-4711"])
            let again = try await app.api.call(.post, "/api/v1/messages", token: app.token, json: body.merging(["idempotency_key": "deploy-4711"]) { $1 })
            #expect(first.status == 202 && again.status == 200, "\(again.body)")
            #expect(first.data["id"] as? String == again.data["id"] as? String)
            var changed = body
            changed["message"] = ["type": "text", "text": "twice"]
            let mismatch = try await app.api.call(.post, "/api/v1/messages", token: app.token, json: changed, headers: [.init("Idempotency-Key")!: "deploy-4711"])
            #expect(mismatch.status == 409 && mismatch.errorCode == "IDEMPOTENCY_MISMATCH")
            #expect(try await app.count("SELECT COUNT(*) AS n FROM jobs WHERE kind = 'messaging.dispatch'") == 1)

            _ = try await app.api.call(.patch, "/api/v1/apps/\(lark)", token: app.token, json: ["status": "disabled"])
            let disabled = try await app.api.call(.post, "/api/v1/messages", token: app.token, json: body)
            #expect(disabled.status == 409 && disabled.errorCode == "APP_DISABLED")
            let list = try await app.api.call(.get, "/api/v1/messages?app=\(lark)", token: app.token)
            #expect((list.data["items"] as? [Any])?.count == 1)
        }
    }

    @Test(arguments: TestEngines.all)
    func aBatchAcceptsItsValidMessagesTogetherAndSaysWhyTheOthersWereRefused(engine: DatabaseEngine) async throws {
        try await withMessagingApp(engine) { app in
            let lark = try await app.register(["name": "Lark", "provider": "lark", "credentials": ["app_id": "cli_msg", "app_secret": "LarkMsgSecret"]])
            let robot = try await app.register(["name": "robot", "provider": "wecom_robot", "credentials": ["key": "msg-robot-key"]], baseURL: true)
            let good: [String: Any] = ["app": lark, "message": ["type": "text", "text": "批量"], "recipients": [["type": "open_id", "id": "ou_alice"]]]
            let reply = try await app.api.call(.post, "/api/v1/messages/batch", token: app.token, json: ["messages": [
                good,
                ["app": lark, "message": ["type": "markdown", "markdown": "x"], "recipients": [["type": "open_id", "id": "ou_alice"]]],
                ["app": robot, "message": ["type": "markdown", "markdown": "**批量**"], "idempotency_key": "batch-1"],
                ["app": "app_nothere", "message": ["type": "text", "text": "x"]],
                ["app": robot, "message": ["type": "markdown", "markdown": "**批量**"], "idempotency_key": "batch-1"],
            ]])
            #expect(reply.status == 200, "\(reply.body)")
            let items = try #require(reply.data["items"] as? [[String: Any]])
            #expect(items.map { $0["index"] as? Int } == [0, 1, 2, 3, 4])
            #expect(items[0]["status"] as? String == "pending" && items[2]["id"] != nil)
            #expect((items[1]["error"] as? [String: Any])?["code"] as? String == "UNSUPPORTED_MESSAGE_TYPE")
            #expect((items[3]["error"] as? [String: Any])?["code"] as? String == "NOT_FOUND")
            #expect(items[4]["id"] as? String == items[2]["id"] as? String && items[4]["replayed"] as? Bool == true)
            for index in [0, 2] {
                #expect(try await app.waitUntilFinal(try #require(items[index]["id"] as? String))["status"] as? String == "sent")
            }
            #expect(try await app.count("SELECT COUNT(*) AS n FROM messages") == 2)
            let empty = try await app.api.call(.post, "/api/v1/messages/batch", token: app.token, json: ["messages": []])
            #expect(empty.status == 400 && empty.errorCode == "VALIDATION_ERROR")
        }
    }

    @Test(arguments: TestEngines.all)
    func aBatchPastTheDailyQuotaQueuesNothing(engine: DatabaseEngine) async throws {
        try await withMessagingApp(engine, worker: false, quotas: TenantQuotas(maxDailyMessages: 2)) { app in
            let robot = try await app.register(["name": "robot", "provider": "wecom_robot", "credentials": ["key": "msg-robot-key"]], baseURL: true)
            let message: [String: Any] = ["app": robot, "message": ["type": "text", "text": "x"]]
            let over = try await app.api.call(.post, "/api/v1/messages/batch", token: app.token, json: ["messages": [message, message, message]])
            #expect(over.status == 429 && over.errorCode == "QUOTA_EXCEEDED", "\(over.body)")
            #expect(try await app.count("SELECT COUNT(*) AS n FROM messages") == 0)
            #expect(try await app.count("SELECT COUNT(*) AS n FROM jobs WHERE kind = 'messaging.dispatch'") == 0)
            let fits = try await app.api.call(.post, "/api/v1/messages/batch", token: app.token, json: ["messages": [message, message]])
            #expect(fits.status == 200 && (fits.data["items"] as? [[String: Any]])?.allSatisfy { $0["id"] != nil } == true)
        }
    }

    @Test(arguments: TestEngines.all)
    func theDailyQuotaIsCountedWithTheMessageAndRefusesPastIt(engine: DatabaseEngine) async throws {
        try await withMessagingApp(engine, worker: false, quotas: TenantQuotas(maxDailyMessages: 1)) { app in
            let robot = try await app.register(["name": "robot", "provider": "wecom_robot", "credentials": ["key": "msg-robot-key"]], baseURL: true)
            let body: [String: Any] = ["app": robot, "message": ["type": "text", "text": "x"]]
            #expect(try await app.api.call(.post, "/api/v1/messages", token: app.token, json: body).status == 202)
            let over = try await app.api.call(.post, "/api/v1/messages", token: app.token, json: body)
            #expect(over.status == 429 && over.errorCode == "QUOTA_EXCEEDED" && over.headers[.retryAfter] != nil)
            #expect(try await app.count("SELECT COUNT(*) AS n FROM messages") == 1)
        }
    }
}

/// The application with a worker running its jobs, a tenant `acme` and its owner's token, and a
/// sandbox seeded with the apps and people the tests send to.
struct MessagingApp: Sendable {
    let api: APIClient
    let token: String
    let sandbox: ContactsSandbox
    let database: any Database

    /// Registers an app pointing at the sandbox (`base_url`; robots only when `baseURL`); its id.
    func register(_ body: [String: Any], baseURL: Bool = false) async throws -> String {
        var body = body
        if body["provider"] as? String != "lark_bot" && (baseURL || ["lark", "wecom"].contains(body["provider"] as? String ?? "")) {
            body["base_url"] = sandbox.baseURL
        }
        let reply = try await api.call(.post, "/api/v1/apps", token: token, json: body)
        return try #require(reply.data["id"] as? String, "\(reply.body)")
    }

    /// The message once it is final (polling up to 30 s).
    func waitUntilFinal(_ id: String) async throws -> [String: Any] {
        for _ in 0..<600 {
            let reply = try await api.call(.get, "/api/v1/messages/\(id)", token: token)
            if ["sent", "partially_failed", "failed", "cancelled"].contains(reply.data["status"] as? String ?? "") { return reply.data }
            try await Task.sleep(for: .milliseconds(50))
        }
        Issue.record("message \(id) did not finish")
        return [:]
    }

    func count(_ sql: String) async throws -> Int {
        try await database.withConnection { work in try await work.raw(SQLQueryString(stringLiteral: sql)).first()?.decode(column: "n", as: Int.self) ?? 0 }
    }
}

extension ContactsSandbox {
    /// Injects a fault (`POST /_sandbox/faults`).
    func fault(_ json: String) async throws {
        var request = URLRequest(url: URL(string: baseURL + "/_sandbox/faults")!)
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = Data(json.utf8)
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode ?? 0 < 300)
    }

    /// The messages the sandbox recorded for the app.
    func messages(_ provider: String, _ appID: String) async throws -> [[String: Any]] {
        let url = URL(string: baseURL + "/_sandbox/messages?provider=\(provider)&app_id=\(appID)")!
        let (data, _) = try await URLSession.shared.data(from: url)
        let json = try JSONSerialization.jsonObject(with: data)
        return (json as? [[String: Any]]) ?? ((json as? [String: Any])?["messages"] as? [[String: Any]]) ?? []
    }
}

func withMessagingApp(
    _ engine: DatabaseEngine, worker runsWorker: Bool = true, quotas: TenantQuotas = .init(),
    _ body: @escaping @Sendable (MessagingApp) async throws -> Void
) async throws {
    let sandbox = ProviderSandbox()
    try await sandbox.seed(Data("""
        {"lark": {
           "apps": [{"app_id": "cli_msg", "app_secret": "LarkMsgSecret", "rate_limits": false}],
           "users": [{"open_id": "ou_alice", "name": "Alice"}, {"open_id": "ou_bob", "email": "bob@corp.example", "name": "Bob"}]},
         "wecom": {
           "apps": [{"corp_id": "wwmsg", "agent_id": 1000002, "secret": "WeComMsgSecret"}],
           "users": [{"corp_id": "wwmsg", "userid": "zhangsan", "name": "张三"}, {"corp_id": "wwmsg", "userid": "lisi", "name": "李四", "mobile": "13800000002"}],
           "robots": [{"key": "msg-robot-key"}]},
         "dingtalk": {"robots": [{"access_token": "msgdingtoken", "secret": "SECmsgding"}]}}
        """.utf8))
    var logger = Logger(label: "sandbox.test")
    logger.logLevel = .warning
    try await sandbox.application(port: 0, logger: logger).test(.live) { client in
        let endpoint = ContactsSandbox(baseURL: "http://127.0.0.1:\(client.port!)")
        var configuration = YizhanConfiguration()
        configuration.port = 0
        configuration.masterKey = testMasterKey
        configuration.providerEgress = sandboxEgress
        configuration.bcryptCost = 4
        configuration.authSigningKeys = try SigningKey.parseList("test-1:\(String(repeating: "s", count: 40))")
        try await TestDatabase.with(engine, migrations: ServerDependencies.migrations) { [configuration] database, _ in
            let dependencies = try ServerDependencies(configuration: configuration, database: database, logger: quietLogger)
            _ = try await dependencies.identity.makeTenant("acme", quotas: quotas)
            let worker = dependencies.jobs.worker(
                registry: JobHandlers.registry(dependencies),
                configuration: .init(queues: ["default": 4], pollInterval: .milliseconds(50), rescueInterval: .seconds(3600), drainTimeout: .seconds(5)),
                logger: quietLogger)
            let application = try App.buildApplication(dependencies)
            try await application.test(.router) { client in
                let api = APIClient(client: client)
                let (token, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
                let app = MessagingApp(api: api, token: token, sandbox: endpoint, database: database)
                guard runsWorker else { return try await body(app) }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await worker.run() }
                    do {
                        try await body(app)
                    } catch {
                        worker.beginDrain()
                        try? await group.waitForAll()
                        throw error
                    }
                    worker.beginDrain()
                    try await group.waitForAll()
                }
            }
        }
    }
}
