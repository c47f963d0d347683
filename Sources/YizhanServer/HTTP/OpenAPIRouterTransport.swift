import HTTPTypes
import Hummingbird
import NIOCore
import OpenAPIRuntime

/// Registers the generated operations on the Hummingbird router.
///
/// It does what swift-openapi-hummingbird's transport does, with one difference on the way out: a
/// response body of known length up to ``gatherLimit`` (every JSON envelope) is gathered into one
/// buffer before the response leaves the handler, so Hummingbird writes head, body and end in a
/// single flush instead of iterating the body through an async writer chunk by chunk. Larger bodies
/// and bodies of unknown length stream.
struct OpenAPIRouterTransport: ServerTransport {
    let router: Router<AppRequestContext>
    /// Bodies of known length up to this many bytes are gathered into one buffer; larger ones
    /// (a future file download) stream, so memory stays bounded.
    var gatherLimit: Int64 = 1 << 20

    func register(
        _ handler: @escaping @Sendable (HTTPRequest, HTTPBody?, ServerRequestMetadata) async throws -> (
            HTTPResponse, HTTPBody?
        ),
        method: HTTPRequest.Method,
        path: String
    ) throws {
        let gatherLimit = gatherLimit
        router.on(RouterPath(path), method: method) { request, context in
            let (response, body) = try await handler(
                request.head, Self.requestBody(request), Self.metadata(context))
            return try await Response(
                status: response.status, headers: response.headerFields,
                body: Self.responseBody(body, gatherLimit: gatherLimit))
        }
    }

    /// The request body as the generated code reads it, announced length included. A request with
    /// neither `Content-Length` nor `Transfer-Encoding` has no body (RFC 9112 §6.3): it gets one
    /// shared empty body instead of a stream per request.
    private static func requestBody(_ request: Request) -> HTTPBody {
        let length: HTTPBody.Length
        if let header = request.headers[.contentLength], let count = Int64(header) {
            length = .known(count)
        } else if request.headers[.transferEncoding] != nil {
            length = .unknown
        } else {
            return noBody
        }
        return HTTPBody(request.body.map { ArraySlice($0.readableBytesView) }, length: length, iterationBehavior: .single)
    }

    /// Empty and iterable any number of times, so one instance serves every bodiless request.
    private static let noBody = HTTPBody()

    private static func metadata(_ context: AppRequestContext) -> ServerRequestMetadata {
        guard !context.parameters.isEmpty else { return .init() }
        let parameters = context.parameters.map { (String($0.0), $0.1) }
        return .init(pathParameters: Dictionary(parameters) { first, _ in first })
    }

    /// One buffer for a body of known, modest length (the generated code's JSON is already in
    /// memory); a stream otherwise, with `Content-Length` when it is known.
    private static func responseBody(_ body: HTTPBody?, gatherLimit: Int64) async throws -> ResponseBody {
        guard let body else { return ResponseBody(byteBuffer: ByteBuffer()) }
        switch body.length {
        case .known(let length) where length <= gatherLimit:
            var buffer = ByteBuffer()
            buffer.reserveCapacity(Int(length))
            for try await chunk in body { buffer.writeBytes(chunk) }
            return ResponseBody(byteBuffer: buffer)
        case .known(let length):
            return ResponseBody(contentLength: Int(length)) { writer in
                for try await chunk in body { try await writer.write(ByteBuffer(bytes: chunk)) }
                try await writer.finish(nil)
            }
        case .unknown:
            return ResponseBody(asyncSequence: body.map { ByteBuffer(bytes: $0) })
        }
    }
}
