import ArgumentParser
import YizhanCore

/// The `yizhan` command: every behaviour lives in the libraries; this only parses and dispatches.
@main
struct Yizhan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yizhan",
        abstract: "Self-hosted messaging hub for Feishu/Lark, WeCom and DingTalk.",
        version: YizhanVersion.current,
        subcommands: [Serve.self, Migrate.self, Config.self, Tenants.self, Users.self, APIKeys.self, Sandbox.self],
        defaultSubcommand: Serve.self
    )
}
