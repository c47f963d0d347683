import Foundation
import JWTKit
import YizhanCore

/// Signs and verifies access tokens: HS256 JWTs with a `kid` header, so keys can rotate.
///
/// The first key signs; every key verifies, so a token signed before a rotation stays valid until
/// its key is removed from the list.
package struct AccessTokens: Sendable {
    /// What a verified token says.
    package struct Verified: Sendable, Equatable {
        package var userID: String
        package var tenantID: String
        package var sessionID: String
        package var issuedAt: Date
        package var expiresAt: Date
    }

    /// How long a token lives.
    package let lifetime: Duration
    private let ring: SigningKeyRing

    /// - Parameter keys: Called once, on first use; the first key signs, all verify.
    package init(lifetime: Duration, keys: @escaping @Sendable () async throws -> [SigningKey]) {
        self.ring = SigningKeyRing(source: keys)
        self.lifetime = lifetime
    }

    /// Tokens signed and verified with `keys`.
    package init(keys: [SigningKey], lifetime: Duration) {
        self.init(lifetime: lifetime) { keys }
    }

    /// A token for `userID`'s session `sessionID` in `tenantID`, valid for ``lifetime``.
    package func issue(userID: String, tenantID: String, sessionID: String, now: Date) async throws -> String {
        let claims = AccessClaims(
            sub: .init(value: userID), tid: tenantID, sid: sessionID,
            iat: .init(value: now), exp: .init(value: now.addingTimeInterval(lifetime.seconds)),
            iss: .init(value: AccessClaims.issuer))
        let (keys, signingKeyID) = try await ring.keys()
        return try await keys.sign(claims, kid: JWKIdentifier(string: signingKeyID))
    }

    /// Loads the keys now if they are not loaded yet, so that the first signing does not read (or
    /// write) settings in the middle of a caller's transaction.
    package func loadKeys() async throws {
        _ = try await ring.keys()
    }

    /// The claims of `token`, or `nil` when it is malformed, forged, signed with an unknown key,
    /// of another algorithm, or expired at `now`.
    /// - Throws: only when the keys cannot be loaded.
    package func verify(_ token: String, now: Date) async throws -> Verified? {
        let (keys, _) = try await ring.keys()
        guard let claims = try? await keys.verify(token, as: AccessClaims.self), claims.exp.value > now else { return nil }
        return Verified(
            userID: claims.sub.value, tenantID: claims.tid, sessionID: claims.sid,
            issuedAt: claims.iat.value, expiresAt: claims.exp.value)
    }
}
