import Foundation

/// An `{errcode, errmsg, …}` answer (WeCom, DingTalk), read apart from what each code means.
///
/// A body without `errcode` is a success only with HTTP 2xx; with 4xx or 5xx it is sorted by the
/// status alone (a gateway's page is never a success), and an unreadable 2xx may mean the call
/// was done.
package enum ErrcodeAnswer {
    /// HTTP 2xx and `errcode` 0 or none: the answer's fields.
    case success([String: Any])
    /// A non-zero `errcode`: the kit sorts it.
    case provider(errcode: Int, errmsg: String)
    /// No usable `errcode`: sorted by the HTTP status alone.
    case withoutCode(ProviderErrorCategory, errmsg: String)

    /// - Parameter idempotent: Whether doing the call twice is harmless; a lost or unreadable
    ///   answer of a call that is not is ``ProviderErrorCategory/maybeDelivered``.
    package init(status: Int, body: Data, idempotent: Bool) {
        let success = (200..<300).contains(status)
        guard let answer = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] else {
            let category: ProviderErrorCategory =
                success ? .forUnreadableSuccess(idempotent: idempotent) : .forStatusWithoutCode(status, idempotent: idempotent)
            self = .withoutCode(category, errmsg: "unreadable answer")
            return
        }
        let errcode = answer["errcode"] as? Int ?? 0
        if errcode != 0 {
            self = .provider(errcode: errcode, errmsg: answer["errmsg"] as? String ?? "")
        } else if success {
            self = .success(answer)
        } else {
            self = .withoutCode(
                .forStatusWithoutCode(status, idempotent: idempotent),
                errmsg: answer["errmsg"] as? String ?? "HTTP \(status) without an errcode")
        }
    }
}
