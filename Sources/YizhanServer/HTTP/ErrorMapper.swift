import Foundation
import Hummingbird
import OpenAPIRuntime
import YizhanAPI
import YizhanCore
import YizhanStorage

/// Turns any error thrown by a route into the caller-facing ``YizhanError``.
///
/// Only the edge does this: domain code throws its own typed errors. Anything unrecognised becomes
/// `INTERNAL_ERROR` with a generic message, so no internal detail (or secret) reaches the caller.
enum ErrorMapper {
    static func map(_ error: any Error) -> YizhanError {
        switch error {
        case let error as YizhanError:
            return error
        case let error as DatabaseError where error.code == .uniqueViolation:
            return YizhanError(.conflict, "The request conflicts with a concurrent change and was not applied.")
        case let error as DatabaseError where error.code == .invalidValue:
            return YizhanError(.validationError, "A value in the request cannot be stored (a control character, or a number out of range).")
        case let error as DatabaseError where error.isTemporary:
            return YizhanError(
                .serviceUnavailable, "The database is busy or unavailable; try again shortly.", headers: ["Retry-After": "1"])
        case is SecretVaultError:
            return YizhanError(.serviceUnavailable, "The server cannot open its stored secrets; its operator must check the master key.")
        case let error as ServerError:
            return map(serverError: error)
        case let error as DecodingError:
            return map(decodingError: error)
        case let error as HTTPError:
            return map(status: error.status, message: error.body)
        case let error as any HTTPResponseError:
            return map(status: error.status, message: nil)
        default:
            return YizhanError(.internalError, "An unexpected error occurred.")
        }
    }

    /// Errors from generated code: the handler's own error, a decoding failure, or a runtime check.
    private static func map(serverError: ServerError) -> YizhanError {
        let underlying = serverError.underlyingError
        if let decoding = underlying as? DecodingError, [.get, .delete, .head].contains(serverError.request.method) {
            // No body to blame: a query or path parameter did not decode (a malformed date or number).
            return map(parameterError: decoding)
        }
        if underlying is YizhanError || underlying is DatabaseError || underlying is DecodingError {
            return map(underlying)
        }
        let status = serverError.httpStatus
        if status.code >= 500 { return YizhanError(.internalError, "An unexpected error occurred.") }
        let message = "\(serverError.causeDescription)."
        switch status.code {
        case 400: return YizhanError(.validationError, message)
        default: return map(status: status, message: message)
        }
    }

    private static func map(status: HTTPResponse.Status, message: String?) -> YizhanError {
        switch status.code {
        case 400: YizhanError(.badRequest, message ?? "The request is malformed.")
        case 401: YizhanError(.unauthorized, message ?? "Authentication is required.")
        case 403: YizhanError(.forbidden, message ?? "You may not do this.")
        case 404: YizhanError(.notFound, message ?? "No such route.")
        case 405: YizhanError(.methodNotAllowed, message ?? "The method is not allowed here.")
        case 406: YizhanError(.notAcceptable, message ?? "No acceptable response content type.")
        case 409: YizhanError(.conflict, message ?? "The request conflicts with the current state.")
        case 413: YizhanError(.payloadTooLarge, message ?? "The request body is too large.")
        case 415: YizhanError(.unsupportedMediaType, message ?? "The request content type is not supported here.")
        case 429: YizhanError(.rateLimited, message ?? "Too many requests.")
        case 503: YizhanError(.serviceUnavailable, message ?? "The service is unavailable; try again shortly.")
        case 400..<500: YizhanError(.badRequest, message ?? "The request is malformed.")
        default: YizhanError(.internalError, "An unexpected error occurred.")
        }
    }

    /// A query or path parameter that did not decode: names it when the decoder says which.
    static func map(parameterError: DecodingError) -> YizhanError {
        let context: DecodingError.Context? = switch parameterError {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .dataCorrupted(let context): context
        case .keyNotFound(_, let context): context
        @unknown default: nil
        }
        let name = context?.codingPath.last?.stringValue ?? ""
        let reason = context?.debugDescription ?? "it could not be read"
        if !name.isEmpty, context?.underlyingError is InvalidDateTime {
            return YizhanError(
                .validationError, "Parameter '\(name)' \(RFC3339DateTranscoder.expectation).", details: ["field": .string(name)])
        }
        guard !name.isEmpty else {
            return YizhanError(.validationError, "A query or path parameter is invalid: \(reason)")
        }
        return YizhanError(
            .validationError, "Parameter '\(name)' is invalid: \(reason)", details: ["field": .string(name)])
    }

    /// A JSON body that did not decode: names the field and what was wrong with it.
    static func map(decodingError: DecodingError) -> YizhanError {
        func path(_ codingPath: [any CodingKey]) -> String {
            codingPath.map { key in key.intValue.map { "[\($0)]" } ?? key.stringValue }
                .joined(separator: ".")
                .replacingOccurrences(of: ".[", with: "[")
        }
        switch decodingError {
        case .keyNotFound(let key, let context):
            let field = path(context.codingPath + [key])
            return YizhanError(.validationError, "Field '\(field)' is required.", details: ["field": .string(field)])
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            let field = path(context.codingPath)
            let expected = Self.typeName(type)
            return YizhanError(
                .validationError, "Field '\(field)' must be \(expected).",
                details: ["field": .string(field), "expected": .string(expected)])
        case .dataCorrupted(let context):
            // At the root, with no path, is JSONDecoder's "not valid JSON". An unknown member is not
            // here: the runtime refuses it with `dataCorruptedError(forKey:)`, whose path names it,
            // and it is answered below as that field.
            if context.codingPath.isEmpty {
                return YizhanError(.validationError, "The request body is not valid JSON.")
            }
            let field = path(context.codingPath)
            if context.underlyingError is InvalidDateTime {
                return YizhanError(
                    .validationError, "Field '\(field)' \(RFC3339DateTranscoder.expectation).",
                    details: ["field": .string(field), "expected": "an RFC 3339 date-time"])
            }
            return YizhanError(
                .validationError, "Field '\(field)' is invalid: \(context.debugDescription)",
                details: ["field": .string(field)])
        @unknown default:
            return YizhanError(.validationError, "The request body is invalid.")
        }
    }

    private static func typeName(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: "a string"
        case is Int.Type, is Int64.Type, is Int32.Type: "an integer"
        case is Double.Type, is Float.Type: "a number"
        case is Bool.Type: "a boolean"
        case is [Any].Type: "an array"
        default: "an object"
        }
    }
}

extension ErrorMapper {
    /// Whether `error` is the router's own "no route" (as opposed to a handler's "no such thing").
    static func isGenericNotFound(_ error: any Error) -> Bool {
        guard let error = error as? HTTPError else { return false }
        return error.status == .notFound && error.body == nil
    }

    /// What the log says about an unexpected error: its type and description, never a reflection
    /// (a driver error's reflection can hold the query and its bound values, which may be secrets).
    static func logDescription(_ error: any Error) -> String {
        if let error = error as? ServerError, let underlying = error.underlyingError as (any Error)? {
            return "ServerError(\(error.operationID)): " + logDescription(underlying)
        }
        if let error = error as? DatabaseError {
            let cause = error.underlying.map { " (\(type(of: $0)): \($0))" } ?? ""
            return "DatabaseError(\(error.code)): \(error.message)" + cause
        }
        return "\(type(of: error)): \(error)"
    }

    /// Whether the error needs the operator's attention in the log although it is not a 500.
    static func needsOperator(_ error: any Error) -> Bool {
        if let error = error as? ServerError { return needsOperator(error.underlyingError) }
        return error is SecretVaultError
    }
}
