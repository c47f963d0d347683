import Foundation
import HTTPTypes
import Hummingbird
import OpenAPIRuntimeOverrides
import YizhanCore

/// Builds JSON responses in the envelope, for routes and errors outside the generated code.
enum EnvelopeResponse {
    static let contentType = "application/json; charset=utf-8"

    /// The generated operations' encoder: members in declaration order (`success`, `error`, `meta`,
    /// as in their envelopes), error details in key order.
    private static let encoder = CompactJSONEncoder()

    /// The envelope for `error`, with its status and headers.
    static func error(_ error: YizhanError, status: HTTPResponse.Status? = nil, requestID: String, timestamp: String) -> Response {
        let envelope = ResponseEnvelope<EmptyPayload>.failure(error, meta: ResponseMeta(requestID: requestID, timestamp: timestamp))
        var response = json(envelope, status: status ?? HTTPResponse.Status(code: error.httpStatus))
        for (name, value) in error.headers {
            if let field = HTTPField.Name(name) { response.headers[field] = value }
        }
        return response
    }

    /// `value` encoded as JSON.
    static func json(_ value: some Encodable, status: HTTPResponse.Status) -> Response {
        let bytes = (try? encoder.encode(value)) ?? Array(#"{"success":false}"#.utf8)
        return Response(
            status: status,
            headers: [.contentType: contentType],
            body: .init(byteBuffer: ByteBuffer(bytes: bytes))
        )
    }
}
