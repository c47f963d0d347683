/// What the HTTP edge knows about the running request: its id and the client's address.
///
/// Bound once per request as one task-local, so code below the edge (audit, login throttling, log
/// lines) reads both without a parameter threaded through every call, and the edge pays for one
/// binding, not one per value.
public struct RequestScope: Sendable {
    /// The request id, accepted from `X-Request-ID` or generated.
    public var requestID: String
    private let resolveClientAddress: @Sendable () -> String?

    /// - Parameter clientAddress: works out the client's address when something asks for it: most
    ///   requests never do, and formatting the peer's address is not free.
    public init(requestID: String, clientAddress: @escaping @Sendable () -> String?) {
        self.requestID = requestID
        self.resolveClientAddress = clientAddress
    }

    public init(requestID: String, clientAddress: String? = nil) {
        self.init(requestID: requestID, clientAddress: { clientAddress })
    }

    /// The client's IP address (without port), when the connection has one.
    public var clientAddress: String? { resolveClientAddress() }

    /// The running request's scope, if any; bound by the HTTP edge.
    @TaskLocal public static var current: RequestScope?
}
