import HTTPTypes

extension HTTPField.Name {
    /// `X-Request-ID`: accepted from the caller or generated, and echoed on every response.
    package static let requestID = HTTPField.Name("X-Request-ID")!
    /// `X-Forwarded-For`: the client chain a reverse proxy saw; believed only from trusted proxies.
    package static let xForwardedFor = HTTPField.Name("X-Forwarded-For")!
}
