import Foundation
import ProviderKitSupport

extension LarkHTTPAnswer {
    /// A token endpoint's flat answer `{code, msg, <field>, expire}`: the token and its remaining seconds.
    func flatToken(field: String) throws(LarkError) -> (token: String, expiresIn: Int) {
        if var failure = failure(idempotent: true) {
            // A token endpoint's own failure is bad credentials, not a stale token to refresh.
            if failure.category == .authentication { failure.category = .permanent }
            throw failure
        }
        guard let object = (try? JSONSerialization.jsonObject(with: body)) as? [String: Any], let token = object[field] as? String,
            let expire = object["expire"] as? Int
        else {
            throw LarkError(category: .permanent, code: 0, message: "the token answer has no \(field)", httpStatus: status)
        }
        return (token, expire)
    }
}
