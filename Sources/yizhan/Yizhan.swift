import ArgumentParser
import YizhanCore

/// The `yizhan` command: every behaviour lives in the libraries; this only parses and dispatches.
///
/// Swift concurrency's jobs run on its own global executor, not on NIO's event loops. NIO can take
/// that executor over (`unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor`),
/// and Yizhan did until it was measured: NIO runs every job as if on the loop's serial executor, so
/// each entry into a nonisolated async function (each middleware, the OpenAPI runtime's closures,
/// Hummingbird's own layers) became a job enqueued on the loop, 69 per `/health/live` request
/// against 0.6 without the takeover, where the same switches happen in place. Without it the
/// server spends 15–20 % less CPU on a `/health/live` request and the same on database-bound ones
/// (docs/benchmarks.md, "The NIO executor takeover").
@main
struct Yizhan: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "yizhan",
        abstract: "Self-hosted messaging hub for Feishu/Lark, WeCom and DingTalk.",
        version: YizhanVersion.current,
        subcommands: [
            Serve.self, Migrate.self, Config.self, Tenants.self, Users.self, APIKeys.self, JobsCommand.self, QueuesCommand.self,
            AppsCommand.self, KeysCommand.self, SendCommand.self, Sandbox.self,
        ],
        defaultSubcommand: Serve.self
    )
}
