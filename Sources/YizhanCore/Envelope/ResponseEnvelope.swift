#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// The body of every JSON response: `{success, data, error, meta}`.
///
/// A success carries `data` and no `error`; a failure carries `error` and no `data`.
public struct ResponseEnvelope<Payload: Encodable & Sendable>: Encodable, Sendable {
    /// Whether the request succeeded.
    public var success: Bool
    /// The result, on success.
    public var data: Payload?
    /// The error, on failure.
    public var error: ErrorBody?
    /// Request id and time.
    public var meta: ResponseMeta

    /// A successful envelope around `data`.
    public static func success(_ data: Payload, meta: ResponseMeta) -> Self {
        .init(success: true, data: data, error: nil, meta: meta)
    }
}

extension ResponseEnvelope where Payload == EmptyPayload {
    /// A failed envelope carrying `error`.
    public static func failure(_ error: YizhanError, meta: ResponseMeta) -> Self {
        .init(success: false, data: nil, error: ErrorBody(error), meta: meta)
    }
}

/// The payload type of an envelope that carries no data.
public struct EmptyPayload: Encodable, Sendable {}

/// The `error` member of the envelope.
public struct ErrorBody: Codable, Sendable, Equatable {
    /// The stable code, e.g. `NOT_FOUND`.
    public var code: String
    /// A sentence for the caller.
    public var message: String
    /// Structured details.
    public var details: [String: JSONValue]

    /// Creates the body from an error.
    public init(_ error: YizhanError) {
        self.code = error.code.rawValue
        self.message = error.message
        self.details = error.details
    }

    private enum CodingKeys: String, CodingKey {
        case code, message, details
    }

    /// Writes `details` with its keys in order (an object of ``JSONValue``s).
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(code, forKey: .code)
        try container.encode(message, forKey: .message)
        try container.encode(JSONValue.object(details), forKey: .details)
    }
}

/// The `meta` member of the envelope.
public struct ResponseMeta: Codable, Sendable, Equatable {
    /// The request id (accepted from `X-Request-ID` or generated).
    public var requestID: String
    /// When the response was produced, ISO 8601 in UTC.
    public var timestamp: String

    enum CodingKeys: String, CodingKey {
        case requestID = "request_id"
        case timestamp
    }

    /// Creates meta for a request id, stamped `timestamp` (from ``ResponseTimestamp/now()``).
    public init(requestID: String, timestamp: String) {
        self.requestID = requestID
        self.timestamp = timestamp
    }
}
