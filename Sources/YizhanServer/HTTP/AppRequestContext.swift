import Hummingbird
import NIOCore

/// The request context of every Yizhan route: Hummingbird's core storage plus the request id.
package struct AppRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    /// The request id, set by ``EdgeMiddleware`` before any route runs.
    package var requestID: String = ""
    /// The body size limit, set by ``EdgeMiddleware`` from configuration.
    package var maxUploadSize: Int = 1_048_576
    /// The connection the request came on; ``EdgeMiddleware`` reads the client's address from it
    /// only when something asks for the address.
    let connection: any Channel

    package init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.connection = source.channel
    }
}
