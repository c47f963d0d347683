import Foundation

/// A `multipart/form-data` body (RFC 7578) for the providers' upload endpoints.
package struct MultipartBody: Sendable {
    /// The boundary between parts; random so it cannot occur in the data by chance.
    package let boundary: String
    private var data = Data()

    package init(boundary: String = "yizhan-" + UUID().uuidString.replacingOccurrences(of: "-", with: "")) {
        self.boundary = boundary
    }

    /// The `Content-Type` header to send with ``body``.
    package var contentType: String { "multipart/form-data; boundary=\(boundary)" }

    /// Adds a text field.
    package mutating func addField(_ name: String, _ value: String) {
        append(headers: "Content-Disposition: form-data; name=\"\(Self.quoted(name))\"", content: Data(value.utf8))
    }

    /// Adds a file; WeCom also wants its length (`filelength`) in the disposition.
    package mutating func addFile(
        _ name: String, filename: String, contentType: String = "application/octet-stream", content: Data,
        includeLength: Bool = false
    ) {
        var disposition = "Content-Disposition: form-data; name=\"\(Self.quoted(name))\"; filename=\"\(Self.quoted(filename))\""
        if includeLength { disposition += "; filelength=\(content.count)" }
        append(headers: disposition + "\r\nContent-Type: \(contentType)", content: content)
    }

    /// The encoded body, closing delimiter included.
    package var body: Data { data + Data("--\(boundary)--\r\n".utf8) }

    private mutating func append(headers: String, content: Data) {
        data.append(Data("--\(boundary)\r\n\(headers)\r\n\r\n".utf8))
        data.append(content)
        data.append(Data("\r\n".utf8))
    }

    /// Quotes and line breaks cannot appear inside a quoted parameter; they are replaced.
    private static func quoted(_ value: String) -> String {
        value.replacingOccurrences(of: "\"", with: "%22").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }
}
