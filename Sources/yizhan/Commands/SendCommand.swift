import ArgumentParser
import Foundation
import YizhanCore
import YizhanIdentity
import YizhanMessaging
import YizhanServer

/// `yizhan send`: queues a message through one of a tenant's apps or robots, over the same service
/// as `POST /api/v1/messages`. A running `yizhan serve` (a worker role) sends it; `--wait` follows
/// it until it ends and exits 1 unless every recipient was reached.
struct SendCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "send",
        abstract: "Queue a message through a tenant's app or robot (a running server sends it); --wait follows it to the end.")

    @OptionGroup var options: ConfigOptions
    @Option(help: "The tenant's code.") var tenant: String
    @Option(help: "The app's or robot's id.") var app: String
    @Option(name: .customLong("to"), help: "A recipient as TYPE:ID, e.g. open_id:ou_… or email:a@corp.example (repeat; none for a robot).")
    var recipients: [String] = []
    @Option(help: "The text of a text message.") var text: String?
    @Option(help: "The text of a markdown message (WeCom, robots).") var markdown: String?
    @Option(name: .customLong("message-file"), help: "The message as JSON ({\"type\": …, …}) in a file, or - for standard input.")
    var messageFile: String?
    @Option(name: .customLong("idempotency-key"), help: "Sending again with the same key answers the first message.") var idempotencyKey: String?
    @Option(help: "Seconds to wait for the message to end (0: return once it is queued).") var wait: Int = 0

    func validate() throws {
        guard [text, markdown, messageFile].compactMap({ $0 }).count == 1 else {
            throw ValidationError("Give exactly one of --text, --markdown and --message-file.")
        }
        for recipient in recipients where Self.split(recipient) == nil {
            throw ValidationError("--to '\(recipient)' must be TYPE:ID, e.g. open_id:ou_… or userid:zhangsan.")
        }
        guard (0...3600).contains(wait) else { throw ValidationError("--wait must be 0 to 3600 seconds.") }
    }

    func run() async throws {
        let content = try readContent()
        let request = MessageRequest(
            appID: app, recipients: recipients.compactMap(Self.split), content: content, idempotencyKey: idempotencyKey)
        let (code, wait) = (tenant, wait)
        let ended = try await AdminCommand.run(options, services: { services in
            let tenant = try await AdminCommand.tenant(code, in: services.identity)
            var (message, accepted) = try await services.messaging.messages.accept(request, tenantID: tenant.id)
            print("id: \(message.id)")
            print("status: \(message.status.rawValue)\(accepted ? "" : " (the idempotency key's earlier message)")")
            guard wait > 0 else { return true }
            let deadline = Date().addingTimeInterval(TimeInterval(wait))
            while !message.status.isFinal && Date() < deadline {
                try await Task.sleep(for: .milliseconds(200))
                message = try await services.messaging.messages.message(id: message.id, tenantID: tenant.id)
            }
            print("ended: \(message.status.rawValue)")
            for recipient in message.recipients {
                let why = [recipient.providerCode.map(String.init), recipient.reason].compactMap { $0 }.joined(separator: " ")
                print("\(recipient.kind):\(recipient.address)\t\(recipient.status.rawValue)\(why.isEmpty ? "" : "\t" + why)")
            }
            return message.status == .sent
        })
        if !ended { throw ExitCode.failure }
    }

    /// The message from whichever option was given.
    private func readContent() throws -> [String: JSONValue] {
        if let text { return ["type": "text", "text": .string(text)] }
        if let markdown { return ["type": "markdown", "markdown": .string(markdown)] }
        let data = messageFile == "-" ? FileHandle.standardInput.readDataToEndOfFile() : try Data(contentsOf: URL(fileURLWithPath: messageFile ?? ""))
        guard let content = try? JSONDecoder().decode([String: JSONValue].self, from: data) else {
            throw ValidationError("--message-file must hold one JSON object: {\"type\": …, …}.")
        }
        return content
    }

    /// `TYPE:ID` split at the first colon.
    static func split(_ recipient: String) -> (kind: String, address: String)? {
        guard let colon = recipient.firstIndex(of: ":"), colon != recipient.startIndex, recipient.index(after: colon) != recipient.endIndex else {
            return nil
        }
        return (String(recipient[..<colon]), String(recipient[recipient.index(after: colon)...]))
    }
}
