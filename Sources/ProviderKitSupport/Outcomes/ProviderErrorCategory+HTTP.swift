import AsyncHTTPClient
import NIOCore
import NIOPosix

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ProviderErrorCategory {
    /// The category of a call that got no usable answer from the network.
    ///
    /// Only failures that happen before a byte of the request can have left (no connection, a bad
    /// URL, a proxy or TLS handshake that failed) are ``retryable``; anything else (a deadline
    /// passed while waiting for the answer, the connection closed or reset mid-answer) may have
    /// reached the provider, so a non-`idempotent` call is ``maybeDelivered``.
    package static func forTransportFailure(_ error: any Error, idempotent: Bool) -> ProviderErrorCategory {
        if idempotent || nothingWasSent(error) { return .retryable }
        return .maybeDelivered
    }

    /// The category of an HTTP answer without the provider's error code (a gateway's or a proxy's
    /// page, an empty body): 429 is a rate limit, 408 means the server never took the request,
    /// 5xx may come after the provider acted, any other 4xx is permanent.
    package static func forStatusWithoutCode(_ status: Int, idempotent: Bool, retryAfter: Duration? = nil) -> ProviderErrorCategory {
        switch status {
        case 429: .rateLimited(retryAfter: retryAfter)
        case 408: .retryable
        case 500...: idempotent ? .retryable : .maybeDelivered
        default: .permanent
        }
    }

    /// The category of a 2xx answer the kit cannot read: the provider took the request, so a
    /// non-`idempotent` call may have been done.
    package static func forUnreadableSuccess(idempotent: Bool) -> ProviderErrorCategory {
        idempotent ? .retryable : .maybeDelivered
    }

    private static let beforeSending: [HTTPClientError] = [
        .connectTimeout, .getConnectionFromPoolTimeout, .invalidURL, .emptyHost, .emptyScheme, .missingSocketPath,
        .alreadyShutdown, .tlsHandshakeTimeout, .socksHandshakeTimeout, .httpProxyHandshakeTimeout, .invalidProxyResponse,
        .proxyAuthenticationRequired,
    ]

    private static func nothingWasSent(_ error: any Error) -> Bool {
        switch error {
        case let error as HTTPClientError: beforeSending.contains(error)
        case is NIOConnectionError: true
        case ChannelError.connectTimeout: true
        case let error as IOError: [ECONNREFUSED, ENETUNREACH, EHOSTUNREACH].contains(error.errnoCode)
        default: false
        }
    }
}
