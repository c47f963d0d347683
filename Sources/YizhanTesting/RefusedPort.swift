import Foundation

/// A loopback TCP port that refuses connections.
package enum RefusedPort {
    /// Runs `body` with a loopback port that is bound but never listens, so every connection to it
    /// is refused and nothing else can take it until `body` returns.
    package static func with<Result>(_ body: (Int) async throws -> Result) async throws -> Result {
        let (fd, port) = try LoopbackPort.bind()
        defer { close(fd) }
        return try await body(port)
    }
}
