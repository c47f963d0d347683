import AsyncHTTPClient
import NIOCore

/// The HTTP client provider calls go out on by default: it follows no redirect (a provider
/// answers its API directly, and a redirect would carry an app's request — for a 307 with its
/// secret — to a host the ``ProviderEgressPolicy`` never saw), and it gives up connecting after
/// 5 seconds. One per process, never shut down, like `HTTPClient.shared`.
package enum ProviderHTTP {
    package static let client = HTTPClient(
        eventLoopGroup: HTTPClient.defaultEventLoopGroup,
        configuration: .init(redirectConfiguration: .disallow, timeout: .init(connect: .seconds(5)))
    )
}
