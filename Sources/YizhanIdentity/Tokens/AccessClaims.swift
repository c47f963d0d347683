import Foundation
import JWTKit

/// The claims of an access token. Permissions are not in the token: they are read (and cached for
/// at most a second) on each request, so role changes, suspension and logout take effect at once.
struct AccessClaims: JWTPayload, Equatable {
    static let issuer = "yizhan"

    /// The user id.
    var sub: SubjectClaim
    /// The tenant id.
    var tid: String
    /// The login session: the refresh-token family this token was issued with.
    var sid: String
    var iat: IssuedAtClaim
    var exp: ExpirationClaim
    var iss: IssuerClaim

    /// Checks the issuer; expiry is checked by ``AccessTokens/verify(_:now:)`` against the injected clock.
    func verify(using algorithm: some JWTAlgorithm) async throws {
        guard iss.value == Self.issuer else {
            throw JWTError.claimVerificationFailure(failedClaim: iss, reason: "not issued by yizhan")
        }
    }
}
