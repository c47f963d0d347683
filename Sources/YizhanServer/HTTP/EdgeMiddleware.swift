import Hummingbird
import Logging
import YizhanCore

/// The first thing every request meets and the last thing every response leaves.
///
/// It accepts or generates the request id, enforces the body size limit, turns every error into the
/// envelope (404 becomes 405 with `Allow` when the path exists for other methods), records the
/// request metrics and writes one log line per request.
struct EdgeMiddleware: RouterMiddleware {
    typealias Context = AppRequestContext

    let maxBodyBytes: Int
    let clientAddresses: ClientAddressResolver
    let routeTable: @Sendable () -> RouteTable
    let metrics: HTTPMetrics
    let accessLog: AccessLog
    let timestamps: ResponseTimestamp
    let logger: Logger

    func handle(
        _ request: Request,
        context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let start = ContinuousClock.now
        let requestID = RequestID.accept(request.headers[.requestID])
        var context = context
        context.requestID = requestID
        context.maxUploadSize = maxBodyBytes

        var response: Response
        do {
            let request = try mustBuffer(request) ? await bufferBody(request) : request
            let scope = RequestScope(requestID: requestID) {
                [clientAddresses, connection = context.connection, forwardedFor = request.headers[.xForwardedFor]] in
                clientAddresses.resolve(peer: connection.remoteAddress?.ipAddress, forwardedFor: forwardedFor)
            }
            response = try await RequestScope.$current.withValue(scope) {
                try await next(request, context)
            }
        } catch {
            response = errorResponse(error, request: request, requestID: requestID)
        }
        response.headers[.requestID] = requestID

        let duration = ContinuousClock.now - start
        let route = context.endpointPath ?? "unmatched"
        metrics.record(method: request.method.rawValue, route: route, status: response.status.code, duration: duration)
        accessLog.record(
            requestID: requestID, method: request.method.rawValue, path: request.uri.path, status: response.status.code,
            duration: duration)
        return response
    }

    /// Rejects a declared length over the limit at once. A body of undeclared (chunked) length
    /// must be buffered up to the limit, so the route never reads more than it.
    private func mustBuffer(_ request: Request) throws -> Bool {
        if let declared = request.headers[.contentLength] {
            guard let length = Int(declared), length >= 0 else {
                throw YizhanError(.badRequest, "Content-Length is not a number.")
            }
            if length > maxBodyBytes { throw tooLarge }
            return false
        }
        return request.headers[.transferEncoding] != nil
    }

    private func bufferBody(_ request: Request) async throws -> Request {
        var request = request
        do {
            let buffer = try await request.body.collect(upTo: maxBodyBytes)
            request.body = .init(buffer: buffer)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            throw tooLarge
        }
        return request
    }

    private var tooLarge: YizhanError {
        YizhanError(
            .payloadTooLarge, "The request body is larger than the limit of \(maxBodyBytes) bytes.",
            details: ["limit_bytes": .int(maxBodyBytes)])
    }

    private func errorResponse(_ error: any Error, request: Request, requestID: String) -> Response {
        var mapped = ErrorMapper.map(error)
        if mapped.code == .notFound && ErrorMapper.isGenericNotFound(error) {
            // The router found no route: 405 if the path exists for other methods. A handler's own
            // "no such thing" stays a 404.
            let allowed = routeTable().allowedMethods(for: request.uri.path)
            if !allowed.isEmpty {
                let list = allowed.map(\.rawValue).joined(separator: ", ")
                mapped = YizhanError(
                    .methodNotAllowed, "\(request.method.rawValue) is not allowed on \(request.uri.path); use \(list).",
                    details: ["allowed": .array(allowed.map { .string($0.rawValue) })],
                    headers: ["Allow": list])
            } else {
                mapped.message = "No route for \(request.method.rawValue) \(request.uri.path)."
            }
        }
        if mapped.code == .internalError || ErrorMapper.needsOperator(error) {
            logger.error(
                "unhandled error",
                metadata: ["request_id": .string(requestID), "error": .string(ErrorMapper.logDescription(error))])
        }
        return EnvelopeResponse.error(mapped, requestID: requestID, timestamp: timestamps.now())
    }
}
