package import Foundation
@_spi(Generated) package import OpenAPIRuntime

/// Date query parameters of the generated server (`since`, `until`), read so that a refused date
/// names its parameter: what YizhanAPI's override of the runtime's
/// `getOptionalQueryItemAsURI(in:style:explode:name:as:)` for `Date` does.
///
/// The runtime's generic reader decodes a date through the transcoder, whose error carries no
/// coding path. This reads the text through the runtime and throws a decoding error whose path is
/// the parameter's name. Only the optional form is needed: the document has no required date
/// parameter, and none in a path.
extension Converter {
    /// The date in query parameter `name`, if present.
    package func getOptionalDateQueryItemAsURI(
        in query: Substring?, style: ParameterStyle?, explode: Bool?, name: String
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
