/// An error that Yizhan reports to its callers with a stable code.
///
/// Domain modules throw `YizhanError` (or map their own errors into it) and the HTTP edge turns it
/// into the response envelope. The `message` is shown to the caller, so it must never carry a secret.
///
/// ```swift
/// throw YizhanError(.notFound, "No app with id \(id).")
/// ```
public struct YizhanError: Error, Sendable, CustomStringConvertible {
    /// The stable code of the error.
    public var code: Code
    /// A sentence for the caller; never contains a secret.
    public var message: String
    /// Structured details (e.g. the offending field); safe to return to the caller.
    public var details: [String: JSONValue]
    /// Headers the HTTP edge adds to the error response (e.g. `Retry-After`).
    public var headers: [String: String]
    /// The HTTP status, when it is not the code's default (e.g. 422 for a validation error about a
    /// well-formed but unacceptable value).
    public var status: Int?

    /// Creates an error.
    /// - Parameters:
    ///   - code: The stable code.
    ///   - message: A caller-facing sentence without secrets.
    ///   - details: Structured, caller-safe details.
    ///   - headers: Extra HTTP response headers.
    ///   - status: The HTTP status, if not the code's default.
    public init(
        _ code: Code,
        _ message: String,
        details: [String: JSONValue] = [:],
        headers: [String: String] = [:],
        status: Int? = nil
    ) {
        self.code = code
        self.message = message
        self.details = details
        self.headers = headers
        self.status = status
    }

    /// The HTTP status this error is answered with.
    public var httpStatus: Int { status ?? code.httpStatus }

    public var description: String { "\(code): \(message)" }
}
