import ArgumentParser
import NIOCore
import NIOPosix
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

    /// Runs Swift concurrency's jobs on NIO's event loops, as Hummingbird and Vapor recommend for
    /// servers: a request's handler then runs on the thread that read it instead of hopping to the
    /// global pool and back. Nothing in Yizhan blocks a thread of the global executor (SQLite and
    /// bcrypt run on thread pools of their own). Must happen first, on the main thread.
    static func main() async {
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
        await main(nil)
    }
}
