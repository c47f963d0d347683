import Foundation
import ProviderKitSupport

/// Reading one answer of the robot webhook: `{errcode, errmsg}`.
package enum DingTalkAnswer {
    /// Throws the error the answer is; returns for a success (HTTP 2xx and `errcode` 0).
    ///
    /// A robot send is never idempotent (DingTalk has no dedupe key), so a lost or unreadable
    /// answer is ``ProviderErrorCategory/maybeDelivered`` (see ``ErrcodeAnswer``).
    package static func check(status: Int, body: Data) throws(DingTalkError) {
        switch ErrcodeAnswer(status: status, body: body, idempotent: false) {
        case .success:
            return
        case .provider(let errcode, let errmsg):
            throw DingTalkError.classify(errcode: errcode, errmsg: errmsg, status: status)
        case .withoutCode(let category, let errmsg):
            throw DingTalkError(category: category, errcode: 0, errmsg: errmsg, httpStatus: status)
        }
    }
}
