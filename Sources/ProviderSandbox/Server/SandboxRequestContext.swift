import Hummingbird
import Logging
import NIOCore

/// The request context of the sandbox's own server: what Hummingbird hands a request, kept so
/// ``PeerRecordingResponder`` can read the connection's peer and then make the routes' basic context.
struct SandboxRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    let channel: any Channel
    let logger: Logger

    init(source: ApplicationRequestContextSource) {
        self.coreContext = .init(source: source)
        self.channel = source.channel
        self.logger = source.logger
    }

    /// The context the routes take.
    var basic: BasicRequestContext { BasicRequestContext(source: ApplicationRequestContextSource(channel: channel, logger: logger)) }
}
