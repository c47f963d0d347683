import HTTPTypes

extension HTTPField.Name {
    /// `X-Request-ID`: accepted from the caller or generated, and echoed on every response.
    public static let requestID = HTTPField.Name("X-Request-ID")!
}
