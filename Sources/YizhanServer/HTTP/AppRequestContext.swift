import Hummingbird
import NIOCore

/// The request context of every Yizhan route: Hummingbird's core storage plus the request id.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The request id, set by ``EdgeMiddleware`` before any route runs.
    public var requestID: String = ""
    /// The body size limit, set by ``EdgeMiddleware`` from configuration.
    public var maxUploadSize: Int = 1_048_576
    /// The peer's IP address, when the connection has one.
    public let clientAddress: String?

    public init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.clientAddress = source.channel.remoteAddress?.ipAddress
    }
}
