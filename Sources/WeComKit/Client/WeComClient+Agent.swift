import NIOHTTP1
import ProviderKitSupport

extension WeComClient {
    /// What `GET /cgi-bin/agent/get` says of the configured app.
    public struct Agent: Sendable, Equatable {
        /// The app's agent id.
        public var agentID: Int
        /// The app's name.
        public var name: String
        /// Whether the app is disabled in the admin console (`close: 1`).
        public var isClosed: Bool
    }

    /// `GET /cgi-bin/agent/get?agentid=`: the configured app as WeCom sees it. This is the cheapest
    /// call that fails the way a send would when the token is good but the app cannot call: 60020
    /// (Yizhan's address is not among the app's trusted IPs), 301002 (the secret is another app's),
    /// 40056 (no such agent id). `gettoken` checks none of these.
    public func agent() async throws(WeComError) -> Agent {
        let answer = try await authorized(.GET, path: "/cgi-bin/agent/get", query: "agentid=\(configuration.agentID)", body: nil, contentType: nil, idempotent: true)
        return Agent(
            agentID: answer["agentid"] as? Int ?? configuration.agentID, name: answer["name"] as? String ?? "",
            isClosed: (answer["close"] as? Int ?? 0) == 1)
    }
}
