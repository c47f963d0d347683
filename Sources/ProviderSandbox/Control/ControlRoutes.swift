import Foundation
import Hummingbird
import NIOFoundationCompat

/// The control API under `/_sandbox/`: seed apps, users and chats, inspect messages, inject faults,
/// move the clock, reset.
enum ControlRoutes {
    static func register(on router: Router<BasicRequestContext>, sandbox: ProviderSandbox) {
        let lark = sandbox.lark
        router.post("/_sandbox/lark/apps") { request, context in
            let app = try await request.decode(as: LarkSandboxApp.self, context: context)
            await lark.register(app)
            return SandboxResponse.json(["ok": true], status: .created)
        }
        router.post("/_sandbox/lark/users") { request, context in
            let user = try await request.decode(as: LarkSandboxUser.self, context: context)
            await lark.register(user)
            return SandboxResponse.json(["ok": true], status: .created)
        }
        router.post("/_sandbox/lark/chats") { request, context in
            let chat = try await request.decode(as: LarkSandboxChat.self, context: context)
            await lark.register(chat)
            return SandboxResponse.json(["ok": true], status: .created)
        }
        router.post("/_sandbox/lark/oauth/login") { request, context in
            struct Login: Decodable { var open_id: String }
            await lark.setNextLogin(openID: try await request.decode(as: Login.self, context: context).open_id)
            return SandboxResponse.json(["ok": true])
        }
        router.post("/_sandbox/lark/bots") { request, context in
            await sandbox.larkBots.register(try await request.decode(as: LarkSandboxBot.self, context: context))
            return SandboxResponse.json(["ok": true], status: .created)
        }
        router.post("/_sandbox/lark/events") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            guard let push = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any],
                let appID = push["app_id"] as? String, let eventType = push["event_type"] as? String
            else { return badFault("send {app_id, event_type, event, schema?: \"2.0\"|\"1.0\", url_verification?, retry_scale?, tamper?}") }
            guard let app = await lark.app(appID) else { return badFault("no Lark app \(appID)") }
            let delivery = await sandbox.larkEvents.push(
                app: app, eventType: eventType, event: push["event"] ?? [String: Any](),
                schema: push["schema"] as? String ?? "2.0", verifyURL: push["url_verification"] as? Bool ?? false,
                retryScale: push["retry_scale"] as? Double ?? 1, now: sandbox.clock.now(), tamper: push["tamper"] as? Bool ?? false,
                faults: sandbox.faults.pushFaults(provider: "lark", appID: appID))
            return try deliveryResponse(delivery)
        }
        router.get("/_sandbox/lark/events/{event_id}") { _, context in
            guard let delivery = sandbox.larkEvents.delivery(try context.parameters.require("event_id")) else {
                return SandboxResponse.json(["error": "no such event"], status: .notFound)
            }
            return try deliveryResponse(delivery)
        }
        router.get("/_sandbox/lark/messages/{message_id}") { _, context in
            guard let message = await lark.messageState(try context.parameters.require("message_id")) else {
                return SandboxResponse.json(["error": "no such message"], status: .notFound)
            }
            return SandboxResponse.raw(message)
        }
        let wecom = sandbox.wecom
        router.post("/_sandbox/wecom/apps") { request, context in
            await wecom.register(try await request.decode(as: WeComSandboxApp.self, context: context))
            return SandboxResponse.json(["ok": true], status: .created)
        }
        router.post("/_sandbox/wecom/users") { request, context in
            await wecom.register(try await request.decode(as: WeComSandboxUser.self, context: context))
            return SandboxResponse.json(["ok": true], status: .created)
        }
        router.post("/_sandbox/wecom/departments") { request, context in
            await wecom.register(try await request.decode(as: WeComSandboxDepartment.self, context: context))
            return SandboxResponse.json(["ok": true], status: .created)
        }
        router.post("/_sandbox/wecom/tags") { request, context in
            await wecom.register(try await request.decode(as: WeComSandboxTag.self, context: context))
            return SandboxResponse.json(["ok": true], status: .created)
        }
        router.post("/_sandbox/wecom/robots") { request, context in
            await sandbox.wecomRobots.register(try await request.decode(as: WeComSandboxRobot.self, context: context))
            return SandboxResponse.json(["ok": true], status: .created)
        }
        router.post("/_sandbox/wecom/callbacks") { request, _ in
            let body = try await request.body.collect(upTo: 1 << 20)
            guard let push = (try? JSONSerialization.jsonObject(with: Data(buffer: body))) as? [String: Any],
                let corpID = push["corp_id"] as? String, let agentID = push["agent_id"] as? Int,
                let message = push["message"], message is String || message is [String: Any]
            else { return badFault("send {corp_id, agent_id, message: XML or {MsgType, …}, url_verification?, retry_scale?}") }
            guard let app = await wecom.app(corpID: corpID, agentID: agentID) else { return badFault("no WeCom app \(corpID)/\(agentID)") }
            let delivery = await sandbox.wecomCallbacks.push(
                app: app, message: message, verifyURL: push["url_verification"] as? Bool ?? false,
                retryScale: push["retry_scale"] as? Double ?? 1, now: sandbox.clock.now(),
                faults: sandbox.faults.pushFaults(provider: "wecom", appID: corpID))
            return try deliveryResponse(delivery)
        }
        router.get("/_sandbox/wecom/callbacks/{id}") { _, context in
            guard let delivery = sandbox.wecomCallbacks.delivery(try context.parameters.require("id")) else {
                return SandboxResponse.json(["error": "no such callback"], status: .notFound)
            }
            return try deliveryResponse(delivery)
        }
        let dingtalk = sandbox.dingtalk
        router.post("/_sandbox/dingtalk/robots") { request, context in
            await dingtalk.register(try await request.decode(as: DingTalkSandboxRobot.self, context: context))
            return SandboxResponse.json(["ok": true], status: .created)
        }
        router.get("/_sandbox/messages") { request, _ in
            let records = sandbox.log.list(
                provider: request.uri.queryParameters["provider"].map(String.init),
                appID: request.uri.queryParameters["app_id"].map(String.init))
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            return SandboxResponse.raw(try encoder.encode(["messages": records]))
        }
        router.get("/_sandbox/stats") { request, _ in
            let query = request.uri.queryParameters
            guard let provider = query["provider"].map(String.init), let appID = query["app_id"].map(String.init) else {
                return badFault("give provider (lark or wecom) and app_id (the Lark app id, the WeCom corp id)")
            }
            switch provider {
            case "lark": return SandboxResponse.json(lark.stats.snapshot(provider: "lark", appID: appID))
            case "wecom": return SandboxResponse.json(wecom.stats.snapshot(provider: "wecom", appID: appID))
            default: return badFault("stats are kept for lark and wecom apps")
            }
        }
        router.post("/_sandbox/faults") { request, context in
            let fault = try await request.decode(as: SandboxFault.self, context: context)
            guard ["lark", "wecom", "dingtalk"].contains(fault.provider) else {
                return badFault("provider must be lark, wecom or dingtalk")
            }
            switch fault.kind {
            case "revoke_tokens" where fault.provider == "lark":
                await lark.revokeTokens(appID: fault.appID)
            case "revoke_tokens" where fault.provider == "wecom":
                await wecom.revokeTokens(corpID: fault.appID)
            case "revoke_tokens":
                return badFault("DingTalk robots have no tokens to revoke")
            case "error_rate":
                guard let rate = fault.rate, (0...1).contains(rate) else { return badFault("error_rate needs rate between 0 and 1") }
                sandbox.faults.add(.errorRate(rate), provider: fault.provider, appID: fault.appID)
            case "latency":
                guard let milliseconds = fault.ms, milliseconds >= 0 else { return badFault("latency needs ms ≥ 0") }
                sandbox.faults.add(.latency(milliseconds: milliseconds), provider: fault.provider, appID: fault.appID)
            case "timeout":
                sandbox.faults.add(.timeout, provider: fault.provider, appID: fault.appID)
            case "force_error":
                guard let code = fault.code else { return badFault("force_error needs code") }
                sandbox.faults.add(
                    .forceError(code: code, status: fault.httpStatus ?? 400, remaining: fault.count ?? 1),
                    provider: fault.provider, appID: fault.appID)
            case "drop_response":
                sandbox.faults.add(.dropResponse(remaining: fault.count ?? 1), provider: fault.provider, appID: fault.appID)
            case "duplicate_delivery" where fault.provider == "dingtalk", "out_of_order" where fault.provider == "dingtalk":
                return badFault("DingTalk robots receive no pushed events")
            case "duplicate_delivery":
                sandbox.faults.add(.duplicateDelivery(remaining: fault.count ?? 1), provider: fault.provider, appID: fault.appID)
            case "out_of_order":
                sandbox.faults.add(.outOfOrder(remaining: fault.count ?? 1), provider: fault.provider, appID: fault.appID)
            default:
                return badFault(
                    "unknown kind '\(fault.kind)'; use error_rate, latency, timeout, revoke_tokens, force_error, drop_response, "
                        + "duplicate_delivery or out_of_order")
            }
            return SandboxResponse.json(["ok": true])
        }
        router.delete("/_sandbox/faults") { _, _ in
            sandbox.faults.clear()
            return SandboxResponse.json(["ok": true])
        }
        router.post("/_sandbox/clock/advance") { request, context in
            let advance = try await request.decode(as: ClockAdvance.self, context: context)
            sandbox.clock.advance(seconds: advance.seconds)
            return SandboxResponse.json(["ok": true, "now": sandbox.clock.now().timeIntervalSince1970])
        }
        router.post("/_sandbox/clock/freeze") { _, _ in
            sandbox.clock.freeze()
            return SandboxResponse.json(["ok": true, "now": sandbox.clock.now().timeIntervalSince1970])
        }
        router.post("/_sandbox/reset") { _, _ in
            await sandbox.reset()
            return SandboxResponse.json(["ok": true])
        }
    }

    static func deliveryResponse(_ delivery: CallbackDeliveries.Delivery) throws -> Response {
        let encoder = JSONEncoder()
        encoder.dateEncodingStrategy = .iso8601
        return SandboxResponse.raw(try encoder.encode(delivery))
    }

    static func badFault(_ message: String) -> Response {
        SandboxResponse.json(["error": message], status: .badRequest)
    }

    struct SandboxFault: Decodable {
        var provider: String
        var appID: String
        var kind: String
        var rate: Double?
        var ms: Int?
        var code: Int?
        var httpStatus: Int?
        var count: Int?
        enum CodingKeys: String, CodingKey {
            case provider, kind, rate, ms, code, count
            case appID = "app_id"
            case httpStatus = "http_status"
        }
    }

    struct ClockAdvance: Decodable {
        var seconds: Double
    }
}
