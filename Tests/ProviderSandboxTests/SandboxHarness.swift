import Foundation
import Hummingbird
import HummingbirdTesting
import LarkKit
import Logging
import NIOCore
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import ProviderSandbox

/// Runs a fresh sandbox on a loopback port, loaded with `seed`, and gives `body` its base URL.
func withSandbox(seed: String, _ body: @Sendable (ProviderSandbox, String) async throws -> Void) async throws {
    let sandbox = ProviderSandbox()
    try await sandbox.seed(Data(seed.utf8))
    var logger = Logger(label: "sandbox.test")
    logger.logLevel = .warning
    try await sandbox.application(port: 0, logger: logger).test(.live) { client in
        try await body(sandbox, "http://127.0.0.1:\(client.port!)")
    }
}

/// A sandbox seeded with one Lark app, two users and a chat.
func withLarkSandbox(_ body: @Sendable (ProviderSandbox, String) async throws -> Void) async throws {
    try await withSandbox(seed: larkSeed, body)
}

let larkSeed = """
    {"lark": {
      "apps": [{"app_id": "cli_test", "app_secret": "s3cret"}],
      "users": [
        {"open_id": "ou_alice", "user_id": "alice", "union_id": "on_alice", "email": "alice@corp.example", "name": "Alice"},
        {"open_id": "ou_bob", "email": "bob@corp.example", "name": "Bob"}
      ],
      "chats": [{"chat_id": "oc_ops", "name": "ops", "members": ["cli_test", "ou_alice"]}]
    }}
    """

func larkClient(
    _ baseURL: String, secret: String = "s3cret", timeout: TimeAmount = .seconds(10), tokens: (any TokenSource<LarkError>)? = nil
) -> LarkClient {
    LarkClient(configuration: .init(baseURL: baseURL, appID: "cli_test", appSecret: secret, timeout: timeout), tokens: tokens)
}

/// The sandbox's record of messages, decoded loosely.
func sandboxMessages(_ baseURL: String) async throws -> [[String: Any]] {
    let (data, _) = try await URLSession.shared.data(from: URL(string: baseURL + "/_sandbox/messages?provider=lark")!)
    let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
    return object?["messages"] as? [[String: Any]] ?? []
}

/// POSTs JSON to the control API.
func control(_ baseURL: String, _ path: String, _ json: String) async throws {
    _ = try await controlAnswer(baseURL, path, json)
}

/// POSTs JSON to the control API and returns the HTTP status and body.
func controlAnswer(_ baseURL: String, _ path: String, _ json: String) async throws -> (status: Int, body: String) {
    var request = URLRequest(url: URL(string: baseURL + path)!)
    request.httpMethod = "POST"
    request.setValue("application/json", forHTTPHeaderField: "Content-Type")
    request.httpBody = Data(json.utf8)
    let (data, response) = try await URLSession.shared.data(for: request)
    return ((response as? HTTPURLResponse)?.statusCode ?? 0, String(decoding: data, as: UTF8.self))
}
