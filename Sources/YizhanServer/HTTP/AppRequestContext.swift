import Hummingbird

/// The request context of every Yizhan route: Hummingbird's core storage plus the request id.
public struct AppRequestContext: RequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The request id, set by ``EdgeMiddleware`` before any route runs.
    public var requestID: String = ""
    /// The body size limit, set by ``EdgeMiddleware`` from configuration.
    public var maxUploadSize: Int = 1_048_576

    public init(source: Source) {
        self.coreContext = .init(source: source)
    }
}
