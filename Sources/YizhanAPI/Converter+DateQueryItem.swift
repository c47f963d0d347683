package import Foundation
@_spi(Generated) package import OpenAPIRuntime

/// Date query parameters of the generated server (`since`, `until`), read so that a refused date
/// names its parameter.
///
/// The runtime's generic reader decodes a date through the transcoder, whose error carries no
/// coding path. This overload, for `Date` only, is more specific than the runtime's generic one, so
/// the generated `Server.swift` of this module calls it. It reads the text through the runtime and
/// throws a decoding error whose path is the parameter's name. Only the optional form is needed: the
/// document has no required date parameter, and none in a path.
extension Converter {
    package func getOptionalQueryItemAsURI(
        in query: Substring?, style: ParameterStyle?, explode: Bool?, name: String, as type: Date.Type
    ) throws -> Date? {
        guard let text = try getOptionalQueryItemAsURI(in: query, style: style, explode: explode, name: name, as: String.self)
        else { return nil }
        do {
            return try configuration.dateTranscoder.decode(text)
        } catch {
            throw DecodingError.dataCorrupted(
                .init(codingPath: [CodingPathKey(name)], debugDescription: "\(error)", underlyingError: error))
        }
    }
}
