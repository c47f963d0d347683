import AsyncHTTPClient
import NIOCore

/// The HTTP client provider calls go out on by default: it follows no redirect (a provider
/// answers its API directly, and a redirect would carry an app's request — for a 307 with its
/// secret — to a host the ``ProviderEgressPolicy`` never saw). It keeps up to 32 connections per
/// host (AsyncHTTPClient's default is 8: a burst of calls to one provider would queue, and the
/// queueing counts against each call's deadline). One per process, never shut down, like
/// `HTTPClient.shared`.
package enum ProviderHTTP {
    package static let client = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: {
            var configuration = HTTPClient.Configuration(redirectConfiguration: .disallow)
            configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 32
            return configuration
        }()
    )
}
