import Foundation
import Hummingbird
import Logging
import NIOCore

/// Protocol-accurate stand-ins for the providers' servers, on one HTTP server: Lark under
/// `/open-apis/…`, WeCom under `/cgi-bin/…`, DingTalk at `/robot/send` and the control API under
/// `/_sandbox/`. Tests run it in-process; `yizhan sandbox`
/// runs it alone.
///
/// Implemented: Lark tenant tokens (2 h lifetime, same token until < 30 min left, revocation) and
/// a distinct self-built app token, `im/v1/messages` and replies (validation, recipients, size
/// limits, `uuid` dedupe for 1 h, rate limits per API and app, per user and per chat), recall,
/// card updates, chat creation (`uuid` dedupe for 10 h) and member lists, uploads, contacts,
/// custom bots (signature and keyword checks), the marketplace ticket flow, OAuth and event
/// pushing; WeCom's tokens, messages (every type; the 1,000/100/100 limits of
/// `touser`/`toparty`/`totag`; departments, tags and unlicensed members; text over 2,048 bytes
/// truncated; 30 a minute and 1,000 an hour per member dropped silently), lookups, app chats,
/// media, robots and callback pushing; DingTalk's robot with its signature, keyword and IP
/// allowlist settings; faults (an error rate, which WeCom answers as errcode -1 with HTTP 200;
/// latency, timeout, forced errors, lost answers, token revocation, duplicated and reordered
/// pushes) and the control API.
public final class ProviderSandbox: Sendable {
    let clock = SandboxClock()
    let log = SandboxLog()
    let faults = SandboxFaults()
    let larkEvents = LarkEventPusher()
    let wecomCallbacks = WeComCallbackPusher()
    let lark: LarkSandbox
    let larkBots: LarkBotSandbox
    let wecom: WeComSandbox
    let wecomRobots: WeComRobotSandbox
    let dingtalk: DingTalkSandbox

    public init() {
        self.lark = LarkSandbox(clock: clock, log: log)
        self.larkBots = LarkBotSandbox(clock: clock, log: log)
        self.wecom = WeComSandbox(clock: clock, log: log)
        self.wecomRobots = WeComRobotSandbox(clock: clock, log: log, wecom: wecom)
        self.dingtalk = DingTalkSandbox(clock: clock, log: log)
    }

    /// The router with every route; for `app.test(.router)` and for ``application(host:port:logger:onServerRunning:)``.
    public func router() -> Router<BasicRequestContext> {
        let router = Router()
        LarkRoutes.register(on: router, lark: lark, bots: larkBots, faults: faults)
        LarkChatRoutes.register(on: router, lark: lark, faults: faults)
        LarkAuthRoutes.register(on: router, sandbox: self)
        LarkAuthRoutes.registerOAuth(on: router, lark: lark)
        WeComRoutes.register(on: router, wecom: wecom, robots: wecomRobots, faults: faults)
        DingTalkRoutes.register(on: router, dingtalk: dingtalk, faults: faults)
        ControlRoutes.register(on: router, sandbox: self)
        return router
    }

    /// The sandbox as a Hummingbird application (a ServiceLifecycle service). Its routes see the
    /// address each request came from (``SandboxPeer``), which DingTalk's IP allowlist checks.
    public func application(
        host: String = "127.0.0.1", port: Int, logger: Logger,
        onServerRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> some ApplicationProtocol {
        Application(
            responder: PeerRecordingResponder(routes: router().buildResponder()),
            configuration: .init(address: .hostname(host, port: port), serverName: "yizhan-sandbox"),
            onServerRunning: { channel in await onServerRunning(channel.localAddress?.port ?? port) },
            logger: logger
        )
    }

    /// Loads apps, users and chats from a seed file:
    /// `{"lark": {"apps", "users", "chats", "bots"}, "wecom": {"apps", "users", "departments", "tags", "robots"}, "dingtalk": {"robots"}}`,
    /// each a list of what the control API's matching `POST` takes.
    public func seed(_ data: Data) async throws {
        let seed = try JSONDecoder().decode(Seed.self, from: data)
        for app in seed.lark?.apps ?? [] { await lark.register(app) }
        for user in seed.lark?.users ?? [] { await lark.register(user) }
        for chat in seed.lark?.chats ?? [] { await lark.register(chat) }
        for bot in seed.lark?.bots ?? [] { await larkBots.register(bot) }
        for app in seed.wecom?.apps ?? [] { await wecom.register(app) }
        for user in seed.wecom?.users ?? [] { await wecom.register(user) }
        for department in seed.wecom?.departments ?? [] { await wecom.register(department) }
        for tag in seed.wecom?.tags ?? [] { await wecom.register(tag) }
        for robot in seed.wecom?.robots ?? [] { await wecomRobots.register(robot) }
        for robot in seed.dingtalk?.robots ?? [] { await dingtalk.register(robot) }
    }

    /// Forgets everything: apps, tokens, users, chats, messages, the clock offset.
    public func reset() async {
        await lark.reset()
        await larkBots.reset()
        await wecom.reset()
        await wecomRobots.reset()
        await dingtalk.reset()
        log.reset()
        faults.clear()
        clock.reset()
    }

    struct Seed: Decodable {
        struct Lark: Decodable {
            var apps: [LarkSandboxApp]?
            var users: [LarkSandboxUser]?
            var chats: [LarkSandboxChat]?
            var bots: [LarkSandboxBot]?
        }
        struct WeCom: Decodable {
            var apps: [WeComSandboxApp]?
            var users: [WeComSandboxUser]?
            var departments: [WeComSandboxDepartment]?
            var tags: [WeComSandboxTag]?
            var robots: [WeComSandboxRobot]?
        }
        struct DingTalk: Decodable {
            var robots: [DingTalkSandboxRobot]?
        }
        var lark: Lark?
        var wecom: WeCom?
        var dingtalk: DingTalk?
    }
}
