internal import Foundation
import HTTPTypes
@_spi(Generated) package import OpenAPIRuntime
import YizhanCore

/// JSON request bodies of the generated server, decoded so that a refused date or number names its
/// field.
///
/// The runtime decodes dates through the configured transcoder from inside `JSONDecoder`, and the
/// transcoder's error carries no coding path; `JSONDecoder` itself reports a number that does not
/// fit an integer (`1.5`, `1e30`) with none either. Either way the caller was told the body was not
/// valid JSON. Here the path is added, so the edge answers "Field 'expires_at' must be an RFC 3339
/// date-time" or "Field 'quotas.max_apps' must be an integer". YizhanAPI's override of the runtime's
/// `getRequiredRequestBodyAsJSON(_:from:transforming:)` calls this.
extension Converter {
    /// The JSON request body decoded as `type`, then transformed.
    package func getRequiredRequestBodyAsJSONNamingFields<T: Decodable, C>(
        _ type: T.Type, from data: HTTPBody?, transforming transform: (T) -> C
    ) async throws -> C {
        guard let data else { throw YizhanError(.validationError, "The request body is required.") }
        // The edge has already refused a body over the configured limit.
        let bytes = try await Data(collecting: data, upTo: .max)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { [transcoder = configuration.dateTranscoder] decoder in
            let text = try decoder.singleValueContainer().decode(String.self)
            do {
                return try transcoder.decode(text)
            } catch {
                throw DecodingError.dataCorrupted(
                    .init(codingPath: decoder.codingPath, debugDescription: "\(error)", underlyingError: error))
            }
        }
        do {
            return transform(try decoder.decode(T.self, from: bytes))
        } catch DecodingError.dataCorrupted(let context) where context.codingPath.isEmpty {
            // JSONDecoder reports broken JSON and a number it cannot fit alike: data corrupted at the
            // root, with no path (and no underlying error on Linux). Every other refusal of these
            // bodies has a path: a member (an unknown one too: the runtime names it) or the dates
            // above. So a body that reads as JSON, holding such a number, failed for the number.
            guard let path = UnfitNumberLocator.path(in: bytes) else { throw DecodingError.dataCorrupted(context) }
            throw DecodingError.typeMismatch(
                Int.self, .init(codingPath: path, debugDescription: "The number does not fit a 64-bit integer."))
        }
    }
}
