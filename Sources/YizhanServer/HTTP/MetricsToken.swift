import Crypto
import Foundation

/// Checks the `Authorization: Bearer <token>` of a metrics scrape in constant time.
enum MetricsToken {
    static func matches(_ authorization: String?, token: String) -> Bool {
        guard let authorization, let presented = AuthMiddleware.bearerToken(authorization) else { return false }
        // Comparing digests takes the same time wherever the strings first differ.
        return Data(SHA256.hash(data: Data(presented.utf8))) == Data(SHA256.hash(data: Data(token.utf8)))
    }
}
