/// What the HTTP edge knows about the running request: its id and the client's address.
///
/// Bound once per request as one task-local, so code below the edge (audit, login throttling, log
/// lines) reads both without a parameter threaded through every call, and the edge pays for one
/// binding, not one per value.
public struct RequestScope: Sendable, Equatable {
    /// The request id, accepted from `X-Request-ID` or generated.
    public var requestID: String
    /// The client's IP address (without port), when the connection has one.
    public var clientAddress: String?

    public init(requestID: String, clientAddress: String? = nil) {
        self.requestID = requestID
        self.clientAddress = clientAddress
    }

    /// The running request's scope, if any; bound by the HTTP edge.
    @TaskLocal public static var current: RequestScope?
}
