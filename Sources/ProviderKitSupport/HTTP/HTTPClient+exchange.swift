import AsyncHTTPClient
import NIOCore

extension HTTPClient {
    /// Sends `request` and reads its whole answer, both within `timeout` (the body gets at least
    /// ``bodyGrace`` after a head that came at the last moment: queued behind other requests of a
    /// busy client, a head can arrive just before the deadline with its body right behind it).
    ///
    /// `execute(_:timeout:)` alone bounds the wait for the answer's head only: AsyncHTTPClient
    /// drops its deadline once the head arrives (`Transaction.StateMachine.deadlineExceeded`), so
    /// a server that sends a head and then stalls would hold `body.collect` for as long as it likes.
    /// - Parameter limit: The largest body read, in bytes.
    /// - Throws: What `execute` and `collect(upTo:)` throw; `HTTPClientError.deadlineExceeded` when
    ///   the body did not arrive in time.
    package func exchange(
        _ request: HTTPClientRequest, timeout: TimeAmount, upTo limit: Int
    ) async throws -> (response: HTTPClientResponse, body: ByteBuffer) {
        let deadline = NIODeadline.now() + timeout
        let response = try await execute(request, deadline: deadline)
        let left = max(deadline - .now(), Self.bodyGrace)
        let body = try await withDeadline(.nanoseconds(left.nanoseconds), onTimeout: { HTTPClientError.deadlineExceeded }) {
            try await response.body.collect(upTo: limit)
        }
        return (response, body)
    }

    /// The least time a body gets once its head arrived.
    package static let bodyGrace: TimeAmount = .seconds(1)
}
