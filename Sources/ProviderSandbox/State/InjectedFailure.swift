/// A failure a fault injected into one call: each provider's routes answer it in the provider's
/// own error shape.
struct InjectedFailure: Error, Sendable {
    var status: Int
    var code: Int
    var message: String
}

extension SandboxFaults {
    /// Runs the faults of `provider`/`appID` on one call: waits out latency, then hangs or throws
    /// ``InjectedFailure`` when a fault says so. WeCom and DingTalk key faults by corp id and robot
    /// access token.
    /// - Parameter sends: Whether the call sends a message (only sends meet `drop_response`).
    /// - Returns: Whether the call is to be done and its answer then lost (``SandboxResponse/dropped()``).
    @discardableResult
    func apply(provider: String, appID: String, sends: Bool = false) async throws -> Bool {
        var dropAnswer = false
        for action in actions(provider: provider, appID: appID, sends: sends) {
            switch action {
            case .proceed: break
            case .dropAnswer: dropAnswer = true
            case .delay(let milliseconds): try await Task.sleep(for: .milliseconds(milliseconds))
            case .hang:
                // Hold the call for up to two minutes, or until the fault is cleared, then give up.
                for _ in 0..<2400 where isHanging(provider: provider, appID: appID) {
                    try await Task.sleep(for: .milliseconds(50))
                }
                throw InjectedFailure(status: 504, code: -1, message: "timeout injected by the sandbox")
            case .fail(let status, let code):
                throw InjectedFailure(
                    status: status, code: code,
                    message: status >= 500 || code == -1 ? "system busy (injected by the sandbox)" : "error injected by the sandbox")
            }
        }
        return dropAnswer
    }
}
