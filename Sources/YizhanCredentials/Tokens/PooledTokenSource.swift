import Foundation
import ProviderKitSupport

/// One app's tokens of one kind from the ``TokenPool``, as a kit's `TokenSource`: give it to
/// `LarkClient(configuration:tokens:)` or `WeComClient(configuration:tokens:)`.
///
/// Failures reach the kit as its own error: the provider's (a wrong secret is `.permanent` with the
/// provider's code), or one made from Yizhan's (a disabled app, a missing master key: `.permanent`;
/// the database unreachable: `.retryable`), whose message names no secret.
package struct PooledTokenSource<Failure: Error>: TokenSource {
    let pool: TokenPool
    let key: TokenKey
    /// The app's `updatedAt` when the source was made (``TokenPool/token(_:notBefore:fetch:)``).
    let notBefore: Date
    let fetch: TokenPool.Fetch
    let wrap: @Sendable (any Error) -> Failure

    package func token() async throws(Failure) -> String {
        do {
            return try await pool.token(key, notBefore: notBefore, fetch: fetch)
        } catch let error as Failure {
            throw error
        } catch {
            throw wrap(error)
        }
    }

    package func invalidate(_ token: String) async {
        pool.invalidate(token, for: key)
    }
}
