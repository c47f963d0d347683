import Foundation
import ProviderKitSupport

/// Reading one WeCom answer: `{errcode, errmsg, …}`, with HTTP 200 for WeCom's own errors.
package enum WeComAnswer {
    /// The answer's fields, or the error it is: a non-zero `errcode` by its meaning, any other
    /// failure by the HTTP status (see ``ErrcodeAnswer``).
    /// - Parameter idempotent: Whether doing the call twice is harmless; sends are not.
    package static func read(status: Int, body: Data, idempotent: Bool) throws(WeComError) -> [String: Any] {
        switch ErrcodeAnswer(status: status, body: body, idempotent: idempotent) {
        case .success(let answer):
            return answer
        case .provider(let errcode, let errmsg):
            throw WeComError.classify(errcode: errcode, errmsg: errmsg, status: status, idempotent: idempotent)
        case .withoutCode(let category, let errmsg):
            throw WeComError(category: category, errcode: 0, errmsg: errmsg, httpStatus: status)
        }
    }
}
