import Crypto
import Foundation
import ProviderKitSupport

/// A user authorization in progress: the URL to send the browser to, and the `state` and PKCE
/// `codeVerifier` to keep (server side, e.g. in the session) until Lark redirects back.
public struct LarkAuthorization: Sendable, Equatable {
    /// Where to redirect the user's browser.
    public var url: String
    /// The random `state`; the callback must carry the same one (``matches(state:)``).
    public var state: String
    /// The PKCE verifier to give ``LarkOAuth/exchange(code:redirectURI:codeVerifier:)``, when PKCE is on. Secret.
    public var codeVerifier: String?

    /// Whether the callback's `state` is ours (compared in constant time). A mismatch is a forged
    /// or replayed callback: refuse it.
    public func matches(state callbackState: String?) -> Bool {
        guard let callbackState else { return false }
        return Bytes.constantTimeEqual(state, callbackState)
    }

    /// 32 random bytes, base64url without padding (43 characters: a valid PKCE verifier).
    static func randomToken() -> String {
        base64URL(Bytes.random(32))
    }

    /// The S256 challenge of a verifier: base64url(SHA-256(verifier)).
    static func challenge(for verifier: String) -> String {
        base64URL(Array(SHA256.hash(data: Array(verifier.utf8))))
    }

    private static func base64URL(_ bytes: [UInt8]) -> String {
        Base64.encode(bytes).replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
