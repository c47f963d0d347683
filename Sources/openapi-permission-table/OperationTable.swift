import Yams

/// The operations of an OpenAPI document with the `x-permission` each declares, checked.
///
/// Every operation must have an `operationId` (unique) and an `x-permission` that is `public`,
/// `authenticated`, or one of the names of the document's `PermissionName` enum schema. The server
/// authorizes by operation id from this table, so an operation that is not in it cannot be reached.
struct OperationTable {
    /// One operation of the document.
    struct Operation {
        let operationID: String
        /// Upper case, as on the wire: `GET`.
        let method: String
        /// The path template: `/api/v1/users/{user_id}`.
        let path: String
        /// The `x-permission` value.
        let permission: String
    }

    /// Everything wrong with a document, each at its line where known.
    struct Problems: Error {
        struct Problem {
            let message: String
            let line: Int?
            let column: Int?
        }
        var list: [Problem] = []

        mutating func add(_ message: String, at node: Node?) {
            list.append(Problem(message: message, line: node?.mark?.line, column: node?.mark?.column))
        }
    }

    /// Values of `x-permission` that are not permission names.
    static let levels = ["public", "authenticated"]
    /// The schema whose enum lists the permission names.
    static let permissionSchema = "PermissionName"
    private static let methods: Set<String> = ["get", "put", "post", "delete", "options", "head", "patch", "trace"]

    /// The operations in document order.
    let operations: [Operation]

    /// Reads and checks `document` (YAML).
    /// - Throws: ``Problems`` listing every operation that fails a check, or a YAML error.
    init(document: String) throws {
        guard let root = try Yams.compose(yaml: document) else { throw Self.problem("the document is empty", at: nil) }
        guard let paths = root["paths"]?.mapping else { throw Self.problem("the document has no paths", at: root) }
        let permissionNode = root["components"]?["schemas"]?[Self.permissionSchema]?["enum"]
        guard let permissionNode, permissionNode.sequence != nil else {
            throw Self.problem("components.schemas.\(Self.permissionSchema).enum, the list of permission names, is missing", at: root)
        }
        let allowed = Self.levels + permissionNode.array().compactMap(\.string)

        var problems = Problems()
        var operations: [Operation] = []
        var seen: Set<String> = []
        for (pathNode, item) in paths {
            guard let path = pathNode.string, let item = item.mapping else { continue }
            for (methodNode, operation) in item {
                guard let method = methodNode.string, Self.methods.contains(method) else { continue }
                let name = "\(method.uppercased()) \(path)"
                guard let operationID = operation["operationId"]?.string, !operationID.isEmpty else {
                    problems.add("\(name) has no operationId", at: methodNode)
                    continue
                }
                guard seen.insert(operationID).inserted else {
                    problems.add("\(name): operationId '\(operationID)' is used twice", at: operation["operationId"])
                    continue
                }
                guard let permissionNode = operation["x-permission"], let permission = permissionNode.string else {
                    problems.add(
                        "\(name) (\(operationID)) has no x-permission; give it one of: \(allowed.joined(separator: ", "))",
                        at: methodNode)
                    continue
                }
                guard allowed.contains(permission) else {
                    problems.add(
                        "\(name) (\(operationID)) has the unknown x-permission '\(permission)'; use one of: \(allowed.joined(separator: ", "))",
                        at: permissionNode)
                    continue
                }
                operations.append(
                    Operation(operationID: operationID, method: method.uppercased(), path: path, permission: permission))
            }
        }
        if !problems.list.isEmpty { throw problems }
        self.operations = operations
    }

    private static func problem(_ message: String, at node: Node?) -> Problems {
        var problems = Problems()
        problems.add(message, at: node)
        return problems
    }
}
