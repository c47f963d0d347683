import Foundation

extension WeComSandbox {
    /// `GET /cgi-bin/agent/get?agentid=`: the token's own app (`agentid`, `name`, `close`). Another
    /// app's agent id is 301002, a missing or malformed one 40056; a force_error fault answers what
    /// WeCom answers an app whose calls come from an untrusted IP (60020).
    func agent(accessToken: String?, agentID: String?) throws(WeComAPIError) -> Data {
        let app = try app(forToken: accessToken)
        guard let agentID, let id = Int(agentID) else { throw .invalidAgentID }
        guard id == app.agentID else { throw .agentMismatch }
        return Self.ok(["agentid": app.agentID, "name": "sandbox app \(app.agentID)", "close": 0])
    }
}
