import Foundation
import ProviderKitSupport

/// One HTTP answer of the Lark API, as the kit reads it: status, body and the headers it uses.
package struct LarkHTTPAnswer: Sendable {
    package var status: Int
    package var body: Data
    /// `x-ogw-ratelimit-reset`: seconds until the rate limit resets.
    package var rateLimitReset: Int?
    /// `X-Tt-Logid`, or `X-Request-Id` when Lark sends no `X-Tt-Logid`: Lark's id of the request.
    package var logID: String?

    package init(status: Int, body: Data, rateLimitReset: Int? = nil, logID: String? = nil) {
        self.status = status
        self.body = body
        self.rateLimitReset = rateLimitReset
        self.logID = logID
    }

    /// The error this answer is, or nil for a success (HTTP 2xx and `code` 0).
    ///
    /// `{code, msg, error}` is read before, and apart from, `data`, so an error whose `data` does
    /// not fit the expected type keeps its code. An answer without a `code` is sorted by its
    /// HTTP status alone and is never a success unless it is 2xx and `codeOptional`.
    /// - Parameters:
    ///   - idempotent: Whether doing the call twice is harmless (a read); sends are not.
    ///   - codeOptional: Whether a 2xx answer without `code` is a success (a custom bot's older answers).
    package func failure(idempotent: Bool, codeOptional: Bool = false) -> LarkError? {
        let head = try? JSONDecoder().decode(Head.self, from: body)
        guard let code = head?.code ?? head?.StatusCode else {
            if (200..<300).contains(status) {
                if codeOptional && head != nil { return nil }
                return error(.forUnreadableSuccess(idempotent: idempotent), code: 0, message: "unreadable answer", head: head)
            }
            let category = ProviderErrorCategory.forStatusWithoutCode(
                status, idempotent: idempotent, retryAfter: rateLimitReset.map { .seconds($0) })
            return error(category, code: 0, message: "HTTP \(status) without a Lark answer", head: head)
        }
        if code == 0 {
            guard status >= 300 else { return nil }
            let category = ProviderErrorCategory.forStatusWithoutCode(
                status, idempotent: idempotent, retryAfter: rateLimitReset.map { .seconds($0) })
            return error(category, code: 0, message: head?.msg ?? "HTTP \(status)", head: head)
        }
        var failure = LarkError.classify(
            status: status, code: code, message: head?.msg ?? "", rateLimitReset: rateLimitReset, idempotent: idempotent)
        failure.logID = head?.error?.log_id ?? logID
        failure.troubleshooter = head?.error?.troubleshooter
        failure.details = head?.error?.lines ?? []
        return failure
    }

    /// `data` of a successful answer; an answer whose `data` does not fit is unreadable.
    package func value<Value: Decodable>(_ type: Value.Type, idempotent: Bool) throws(LarkError) -> Value {
        if let failure = failure(idempotent: idempotent) { throw failure }
        guard let value = (try? JSONDecoder().decode(DataField<Value>.self, from: body))?.data else {
            // Lark said success: for a send the message exists even though its answer is unreadable.
            throw error(idempotent ? .permanent : .maybeDelivered, code: 0, message: "the answer's data is unreadable", head: nil)
        }
        return value
    }

    private func error(_ category: ProviderErrorCategory, code: Int, message: String, head: Head?) -> LarkError {
        LarkError(
            category: category, code: code, message: message, httpStatus: status, logID: head?.error?.log_id ?? logID,
            troubleshooter: head?.error?.troubleshooter, details: head?.error?.lines ?? [])
    }

    /// `{code, msg, error}` of every answer (custom bots' older answers say `StatusCode`). The
    /// `error` object is decoded on its own terms: a member of an unexpected type there must not
    /// cost the answer its `code`.
    private struct Head: Decodable {
        var code: Int?
        var StatusCode: Int?
        var msg: String?
        var error: Detail?

        enum CodingKeys: String, CodingKey { case code, StatusCode, msg, error }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            code = try? container.decodeIfPresent(Int.self, forKey: .code)
            StatusCode = try? container.decodeIfPresent(Int.self, forKey: .StatusCode)
            msg = try? container.decodeIfPresent(String.self, forKey: .msg)
            error = try? container.decodeIfPresent(Detail.self, forKey: .error)
        }
    }

    /// Lark's `error` object: support details, never a secret.
    private struct Detail: Decodable {
        struct FieldViolation: Decodable {
            var field: String?
            var value: String?
            var description: String?
        }
        struct PermissionViolation: Decodable {
            var type: String?
            var subject: String?
            var description: String?
        }
        var log_id: String?
        var troubleshooter: String?
        var field_violations: [FieldViolation]?
        var permission_violations: [PermissionViolation]?

        var lines: [String] {
            let fields = (field_violations ?? []).map { "field \($0.field ?? "?"): \($0.description ?? "")" }
            let permissions = (permission_violations ?? []).map { "permission \($0.subject ?? $0.type ?? "?"): \($0.description ?? "")" }
            return fields + permissions
        }
    }

    private struct DataField<Value: Decodable>: Decodable {
        var data: Value?
    }
}
