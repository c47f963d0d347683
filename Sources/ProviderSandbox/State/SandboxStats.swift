import Synchronization

/// What each app did at the sandbox, for `GET /_sandbox/stats`: token fetches, calls per path,
/// error answers per code, and rate-limit answers. Keyed by provider and app (Lark app id, WeCom
/// corp id or robot key). `POST /_sandbox/reset` clears it.
final class SandboxStats: Sendable {
    struct Counts: Sendable {
        var tokenFetches = 0
        var calls: [String: Int] = [:]
        var errors: [String: Int] = [:]
        var rateLimited = 0
    }

    /// Codes that mean "too fast" (besides HTTP 429): Lark's API, recipient and custom bot limits;
    /// WeCom's robot and API frequency limits; DingTalk's throttle.
    static let rateLimitCodes: Set<Int> = [99991400, 230020, 11232, 11233, 11247, 45009, 45033, 45011, 130101]

    private let counts = Mutex<[String: Counts]>([:])

    /// Counts one call of `path` by the app; `code` is the provider's error code when it failed
    /// (nil or 0 for a success).
    func record(provider: String, appID: String?, path: String, tokenFetch: Bool = false, code: Int? = nil, status: Int = 200) {
        guard let appID, !appID.isEmpty else { return }
        counts.withLock { counts in
            var entry = counts[provider + "|" + appID] ?? Counts()
            entry.calls[path, default: 0] += 1
            if tokenFetch { entry.tokenFetches += 1 }
            if let code, code != 0 { entry.errors[String(code), default: 0] += 1 }
            if status == 429 || code.map(Self.rateLimitCodes.contains) == true { entry.rateLimited += 1 }
            counts[provider + "|" + appID] = entry
        }
    }

    /// The app's counts as the control API answers them.
    func snapshot(provider: String, appID: String) -> [String: Any] {
        let entry = counts.withLock { $0[provider + "|" + appID] } ?? Counts()
        return ["token_fetches": entry.tokenFetches, "calls": entry.calls, "errors": entry.errors, "rate_limited": entry.rateLimited]
    }

    func reset() {
        counts.withLock { $0 = [:] }
    }
}
