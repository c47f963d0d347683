#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif
import HTTPTypes
@_spi(Generated) package import OpenAPIRuntime
import Synchronization

/// JSON response bodies of the generated server, written by ``CompactJSONEncoder``: what YizhanAPI's
/// override of the runtime's `setResponseBodyAsJSON(_:headerFields:contentType:)` does.
///
/// The runtime's `Converter` encodes them with a `JSONEncoder` it creates itself and takes no other
/// JSON coder; on a fast route that encoder was a fifth of the CPU. The bytes are the same as
/// `JSONEncoder`'s with the configured options (a test compares them); `sortedKeys` or
/// `prettyPrinted`, which the stream cannot write, go to `JSONEncoder` as before.
extension Converter {
    /// `value` as the JSON body of a response, with its `Content-Type` and `Content-Length`.
    package func setResponseBodyAsCompactJSON<T: Encodable>(
        _ value: T, headerFields: inout HTTPFields, contentType: String
    ) throws -> HTTPBody {
        let bytes: [UInt8]
        if configuration.jsonEncodingOptions.isSubset(of: .withoutEscapingSlashes) {
            let transcoder = configuration.dateTranscoder
            let encoder = CompactJSONEncoder(
                escapesSlashes: !configuration.jsonEncodingOptions.contains(.withoutEscapingSlashes),
                dateEncoding: { try transcoder.encode($0) })
            bytes = try encoder.encode(value)
            #if DEBUG
            CompactJSONBodies.encoded.add(1, ordering: .relaxed)
            #endif
        } else {
            let encoder = JSONEncoder()
            encoder.outputFormatting = .init(configuration.jsonEncodingOptions)
            encoder.dateEncodingStrategy = .custom { [transcoder = configuration.dateTranscoder] date, encoder in
                var container = encoder.singleValueContainer()
                try container.encode(transcoder.encode(date))
            }
            bytes = Array(try encoder.encode(value))
        }
        headerFields[.contentType] = contentType
        headerFields[.contentLength] = String(bytes.count)
        return HTTPBody(bytes)
    }
}

#if DEBUG
/// How many response bodies ``CompactJSONEncoder`` wrote: tests check the generated server uses it.
package enum CompactJSONBodies {
    package static let encoded = Atomic<Int>(0)
}
#endif

extension JSONEncoder.OutputFormatting {
    fileprivate init(_ options: JSONEncodingOptions) {
        self.init()
        if options.contains(.prettyPrinted) { formUnion(.prettyPrinted) }
        if options.contains(.sortedKeys) { formUnion(.sortedKeys) }
        if options.contains(.withoutEscapingSlashes) { formUnion(.withoutEscapingSlashes) }
    }
}
