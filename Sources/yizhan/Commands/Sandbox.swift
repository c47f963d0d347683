import ArgumentParser
import Foundation
import Hummingbird
import Logging
import ProviderSandbox

/// `yizhan sandbox`: the provider stand-ins alone, for trying Yizhan or pointing an SDK at them.
struct Sandbox: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Run the protocol-accurate Lark stand-in (and its /_sandbox control API) on loopback.")

    @Option(name: .long, help: "Address to listen on.")
    var host = "127.0.0.1"

    @Option(name: .long, help: "Port to listen on (0 picks a free one).")
    var port = 9900

    @Option(name: .long, help: "A JSON file of apps, users and chats to load at start.")
    var seed: String?

    func run() async throws {
        let sandbox = ProviderSandbox()
        if let seed {
            do {
                try await sandbox.seed(Data(contentsOf: URL(fileURLWithPath: seed)))
            } catch {
                Terminal.fail("cannot load the seed file \(seed): \(error)", code: 2)
            }
        }
        let application = sandbox.application(host: host, port: port, logger: Logger(label: "yizhan.sandbox")) { port in
            // One line on standard output that scripts wait for.
            FileHandle.standardOutput.write(Data("sandbox listening on http://\(host):\(port)\n".utf8))
        }
        try await application.runService()
    }
}
