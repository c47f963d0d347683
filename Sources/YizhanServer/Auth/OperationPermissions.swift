import HTTPTypes
import Hummingbird
import Yams
import YizhanAPI

/// The `x-permission` of every operation in the OpenAPI document, matched against request paths.
///
/// Read once from the embedded document, so the contract and the enforcement cannot drift apart.
package struct OperationPermissions: Sendable {
    /// One operation of the document.
    package struct Operation: Sendable, CustomStringConvertible {
        package let method: HTTPRequest.Method
        /// The path template, e.g. `/api/v1/users/{user_id}`.
        package let path: String
        package let operationID: String
        /// `nil` when the document declares none (or an unknown value); the walk test fails on it.
        package let requirement: AccessRequirement?
        /// The raw `x-permission` value, if any.
        package let declared: String?
        let segments: [Substring?]

        package var description: String { "\(method.rawValue) \(path) (\(operationID))" }
    }

    /// Every operation, in document order.
    package let operations: [Operation]
    private let byShape: [Shape: [Operation]]
    private let byEndpoint: [Endpoint: Operation]

    /// Operations that could match a path: same method, same number of segments.
    private struct Shape: Hashable {
        let method: HTTPRequest.Method
        let segments: Int
    }

    /// An operation as the router knows it: the method and the path template as Hummingbird prints it.
    private struct Endpoint: Hashable {
        let method: HTTPRequest.Method
        let path: String
    }

    /// The permissions of the embedded document.
    package static let embedded: OperationPermissions = {
        do { return try OperationPermissions(yaml: OpenAPIDocument.yaml) } catch {
            fatalError("the embedded OpenAPI document does not parse: \(error)")
        }
    }()

    /// Parses a document.
    package init(yaml: String) throws {
        guard let document = try Yams.load(yaml: yaml) as? [String: Any],
            let paths = document["paths"] as? [String: Any]
        else {
            throw OpenAPIDocumentError(message: "no paths")
        }
        var operations: [Operation] = []
        for (path, value) in paths.sorted(by: { $0.key < $1.key }) {
            guard let item = value as? [String: Any] else { continue }
            for (methodName, operationValue) in item.sorted(by: { $0.key < $1.key }) {
                guard let method = HTTPRequest.Method(methodName.uppercased()), Self.httpMethods.contains(methodName),
                    let operation = operationValue as? [String: Any]
                else { continue }
                let declared = operation["x-permission"] as? String
                operations.append(Operation(
                    method: method, path: path, operationID: operation["operationId"] as? String ?? "",
                    requirement: declared.flatMap(AccessRequirement.init), declared: declared,
                    segments: Self.segments(of: path)))
            }
        }
        self.operations = operations
        self.byShape = Dictionary(grouping: operations) { Shape(method: $0.method, segments: $0.segments.count) }
        self.byEndpoint = Dictionary(
            operations.map { (Endpoint(method: $0.method, path: RouterPath($0.path).description), $0) },
            uniquingKeysWith: { first, _ in first })
    }

    /// The operation the router matched, from Hummingbird's `context.endpointPath` (the path
    /// template, e.g. `/api/v1/users/{user_id}`): one hash lookup, where matching a concrete path
    /// splits and compares it.
    package func operation(_ method: HTTPRequest.Method, endpointPath: String) -> Operation? {
        byEndpoint[Endpoint(method: method, path: endpointPath)]
    }

    /// The operation serving `method` on the concrete `path`, if any.
    package func operation(_ method: HTTPRequest.Method, path: String) -> Operation? {
        let components = path.split(separator: "/", omittingEmptySubsequences: true)
        guard let candidates = byShape[Shape(method: method, segments: components.count)] else { return nil }
        // Literal segments win over parameters, as in the router.
        var best: (operation: Operation, literals: Int)?
        for operation in candidates {
            var literals = 0
            var matches = true
            for (pattern, component) in zip(operation.segments, components) {
                if let pattern {
                    guard pattern == component else { matches = false; break }
                    literals += 1
                }
            }
            if matches && literals > (best?.literals ?? -1) { best = (operation, literals) }
        }
        return best?.operation
    }

    /// Whether a router path (`/api/v1/users/:user_id` or `{user_id}`) is one of the operations.
    package func contains(method: HTTPRequest.Method, routerPath: String) -> Bool {
        let normalized = Self.segments(of: routerPath)
        return byShape[Shape(method: method, segments: normalized.count)]?.contains { $0.segments == normalized } ?? false
    }

    private static let httpMethods: Set<String> = ["get", "put", "post", "delete", "patch", "head", "options"]

    /// Path segments, `nil` for a parameter.
    private static func segments(of path: String) -> [Substring?] {
        path.split(separator: "/", omittingEmptySubsequences: true).map { segment in
            segment.hasPrefix("{") || segment.hasPrefix(":") ? nil : segment
        }
    }
}

/// The OpenAPI document cannot be read.
struct OpenAPIDocumentError: Error {
    let message: String
}
