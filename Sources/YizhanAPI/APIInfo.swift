/// Facts about the HTTP API that the generated code does not carry.
package enum APIInfo {
    /// The prefix of every versioned operation.
    package static let prefix = "/api/v1"
}
