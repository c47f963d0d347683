package import Foundation
import HTTPTypes
@_spi(Generated) package import OpenAPIRuntime
@_spi(Generated) import OpenAPIRuntimeOverrides

/// The three swift-openapi-runtime `Converter` methods that the generated `Server.swift` of this
/// module calls ours for; each forwards to its implementation in OpenAPIRuntimeOverrides.
///
/// Each has the runtime's exact signature, and Swift prefers a declaration of the current module to
/// an imported one with the same signature, so the generated code calls these. They cannot move to
/// OpenAPIRuntimeOverrides with the rest: `Converter` is `@_spi(Generated)`, so that module's
/// extension members are visible only through an `@_spi(Generated)` import of it, which generated
/// files cannot have (the generator's `additionalImports` writes plain imports); and declared in
/// another module, the same signature would be ambiguous rather than preferred. See
/// OpenAPIRuntimeOverrides' documentation. `RuntimeOverrideTests` fails if the runtime's own method
/// runs instead of any of these.
extension Converter {
    /// JSON response bodies through `CompactJSONEncoder`.
    package func setResponseBodyAsJSON<T: Encodable>(
        _ value: T, headerFields: inout HTTPFields, contentType: String
    ) throws -> HTTPBody {
        try setResponseBodyAsCompactJSON(value, headerFields: &headerFields, contentType: contentType)
    }

    /// JSON request bodies whose refused date or number names its field.
    package func getRequiredRequestBodyAsJSON<T: Decodable, C>(
        _ type: T.Type, from data: HTTPBody?, transforming transform: (T) -> C
    ) async throws -> C {
        try await getRequiredRequestBodyAsJSONNamingFields(type, from: data, transforming: transform)
    }

    /// Date query parameters whose refusal names the parameter. More specific than the runtime's
    /// generic method, for `Date` only.
    package func getOptionalQueryItemAsURI(
        in query: Substring?, style: ParameterStyle?, explode: Bool?, name: String, as type: Date.Type
    ) throws -> Date? {
        try getOptionalDateQueryItemAsURI(in: query, style: style, explode: explode, name: name)
    }
}
