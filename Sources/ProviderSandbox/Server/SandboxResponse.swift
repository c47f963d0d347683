import Foundation
import HTTPTypes
import Hummingbird

/// JSON answers of the sandbox, in the providers' own shapes (not Yizhan's envelope).
enum SandboxResponse {
    static func json(_ object: Any, status: HTTPResponse.Status = .ok, headers: [String: String] = [:]) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return raw(data, status: status, headers: headers)
    }

    static func raw(_ data: Data, status: HTTPResponse.Status = .ok, headers: [String: String] = [:]) -> Response {
        var fields: HTTPFields = [.contentType: "application/json; charset=utf-8"]
        for (name, value) in headers {
            if let field = HTTPField.Name(name) { fields[field] = value }
        }
        return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// No answer: the head of a 200 goes out, then the connection closes before any body byte, as
    /// when a proxy or the network loses an answer mid-way. The client cannot tell whether the
    /// call was done (it was: `drop_response` does the call first).
    static func dropped() -> Response {
        Response(
            status: .ok, headers: [.contentType: "application/json; charset=utf-8"],
            body: ResponseBody { (_: inout any ResponseBodyWriter) in throw AnswerDropped() })
    }

    /// Thrown while writing a dropped answer: Hummingbird closes the connection on it.
    struct AnswerDropped: Error {}

    /// Lark's error body `{"code":…,"msg":…}` with its status and headers.
    static func lark(_ error: LarkAPIError) -> Response {
        json(["code": error.code, "msg": error.msg], status: .init(code: error.status), headers: error.headers)
    }
}
