import Foundation
import Hummingbird

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
        router.get("/_sandbox/messages") { request, _ in
            let records = sandbox.log.list(
                provider: request.uri.queryParameters["provider"].map(String.init),
                appID: request.uri.queryParameters["app_id"].map(String.init))
            let encoder = JSONEncoder()
            encoder.dateEncodingStrategy = .iso8601
            return SandboxResponse.raw(try encoder.encode(["messages": records]))
        }
        router.post("/_sandbox/faults") { request, context in
            let fault = try await request.decode(as: SandboxFault.self, context: context)
            switch (fault.provider, fault.kind) {
            case ("lark", "revoke_tokens"):
                await lark.revokeTokens(appID: fault.appID)
                return SandboxResponse.json(["ok": true])
            default:
                return SandboxResponse.json(
                    ["error": "fault kind '\(fault.kind)' for '\(fault.provider)' is not supported yet"], status: .badRequest)
            }
        }
        router.post("/_sandbox/clock/advance") { request, context in
            let advance = try await request.decode(as: ClockAdvance.self, context: context)
            sandbox.clock.advance(seconds: advance.seconds)
            return SandboxResponse.json(["ok": true, "now": sandbox.clock.now().timeIntervalSince1970])
        }
        router.post("/_sandbox/reset") { _, _ in
            await sandbox.reset()
            return SandboxResponse.json(["ok": true])
        }
    }

    struct SandboxFault: Decodable {
        var provider: String
        var appID: String
        var kind: String
        enum CodingKeys: String, CodingKey {
            case provider, kind
            case appID = "app_id"
        }
    }

    struct ClockAdvance: Decodable {
        var seconds: Double
    }
}
