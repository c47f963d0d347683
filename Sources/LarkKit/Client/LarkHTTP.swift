import AsyncHTTPClient
import Foundation
import NIOCore
import NIOFoundationCompat
import NIOHTTP1
import ProviderKitSupport

/// A request body for the Lark API: JSON or a multipart form.
struct LarkRequestBody: Sendable {
    var data: Data
    var contentType: String

    /// `object` as JSON (strings, numbers, booleans, arrays and objects of them).
    static func json(_ object: Any) throws(LarkError) -> LarkRequestBody {
        guard let data = try? JSONSerialization.data(withJSONObject: object) else {
            throw LarkError(category: .permanent, code: 0, message: "the request cannot be encoded as JSON")
        }
        return LarkRequestBody(data: data, contentType: "application/json; charset=utf-8")
    }

    static func multipart(_ form: MultipartBody) -> LarkRequestBody {
        LarkRequestBody(data: form.body, contentType: form.contentType)
    }
}

/// One HTTP exchange with the Lark API, and reading its `{code, msg, data}` answer.
enum LarkHTTP {
    /// The largest answer read.
    static let maximumAnswerBytes = 4 * 1024 * 1024

    /// Sends and returns the answer; a network failure is retryable when nothing can have left,
    /// else maybe delivered unless the call is `idempotent`.
    static func send(
        _ http: HTTPClient, _ configuration: LarkClient.Configuration, method: HTTPMethod = .POST, path: String, token: String?,
        body: LarkRequestBody?, idempotent: Bool
    ) async throws(LarkError) -> LarkHTTPAnswer {
        var request = HTTPClientRequest(url: configuration.baseURL + path)
        request.method = method
        if let body {
            request.headers.add(name: "Content-Type", value: body.contentType)
            request.body = .bytes(ByteBuffer(data: body.data))
        }
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        do {
            let (response, bytes) = try await http.exchange(request, timeout: configuration.timeout, upTo: maximumAnswerBytes)
            return LarkHTTPAnswer(
                status: Int(response.status.code), body: Data(buffer: bytes),
                rateLimitReset: response.headers.first(name: "x-ogw-ratelimit-reset").flatMap(Int.init),
                logID: [response.headers.first(name: "x-tt-logid"), response.headers.first(name: "x-request-id")]
                    .compactMap { $0 }.first { !$0.isEmpty })
        } catch {
            throw LarkError(
                category: .forTransportFailure(error, idempotent: idempotent), code: 0, message: "request failed: \(type(of: error))")
        }
    }

    /// Sends, and decodes `data` of a `code == 0` answer; any other answer becomes a classified error.
    static func call<Value: Decodable>(
        _ http: HTTPClient, _ configuration: LarkClient.Configuration, method: HTTPMethod, path: String, token: String,
        body: LarkRequestBody?, idempotent: Bool, as type: Value.Type
    ) async throws(LarkError) -> Value {
        let answer = try await send(http, configuration, method: method, path: path, token: token, body: body, idempotent: idempotent)
        return try answer.value(type, idempotent: idempotent)
    }
}
