import LarkKit
import WeComKit
import YizhanCore
import YizhanCredentials
import YizhanIdentity

/// Many concurrent provider calls through one app's pooled tokens, for the multi-process token
/// tests (``TestRoutes``): each caller looks a person up by email (Lark `batch_get_id`, WeCom
/// `get_userid_by_email` of a personal address), a read that needs the app's token and changes nothing at the provider.
/// A token the provider refuses on the way is invalidated and replaced, as on any call.
struct TokenBurst: Sendable {
    /// What the callers got: how many calls succeeded, and the failures by provider code (0 when
    /// the failure was not the provider's answer).
    struct Result: Encodable, Sendable {
        var callers: Int
        var succeeded: Int
        var failures: [String: Int]
    }

    /// The most callers one request may start.
    static let maximumCallers = 1000

    let tokens: TokenPool

    /// Runs `callers` lookups of `email` at once through `app`'s pooled token.
    /// - Throws: `VALIDATION_ERROR` when the app's provider has no pooled tokens; what the pool
    ///   throws when the app cannot be used (`APP_DISABLED`, `MASTER_KEY_MISSING`).
    func run(app: ProviderApp, callers: Int, email: String) async throws -> Result {
        let call: @Sendable () async -> Int?
        switch app.provider {
        case .lark:
            let client = try await tokens.larkClient(appID: app.id, tenantID: app.tenantID)
            call = {
                do throws(LarkError) { _ = try await client.userIDs(emails: [email]) } catch { return error.code }
                return nil
            }
        case .wecom:
            let client = try await tokens.wecomClient(appID: app.id, tenantID: app.tenantID)
            call = {
                // As a personal address (`email_type` 2): the burst's member is seeded with one.
                do throws(WeComError) { _ = try await client.userID(email: email, corporate: false) } catch { return error.errcode }
                return nil
            }
        default:
            throw YizhanError(
                .validationError, "App \(app.id) is a \(app.provider.rawValue) app, which has no pooled tokens.",
                details: ["field": .string("app_id")])
        }
        var result = Result(callers: callers, succeeded: 0, failures: [:])
        await withTaskGroup(of: Int?.self) { group in
            for _ in 0..<callers { group.addTask { await call() } }
            for await failure in group {
                if let failure { result.failures[String(failure), default: 0] += 1 } else { result.succeeded += 1 }
            }
        }
        return result
    }
}
