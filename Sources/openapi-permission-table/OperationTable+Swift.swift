extension OperationTable {
    /// The table as Swift: an extension of YizhanAPI's `OpenAPIOperation` with `all`.
    var swiftSource: String {
        var source = """
            // Generated at build time by openapi-permission-table from openapi.yaml. Do not edit.

            extension OpenAPIOperation {
                /// Every operation of openapi.yaml, in document order, with its `x-permission`.
                package static let all: [OpenAPIOperation] = [

            """
        for operation in operations {
            source += "        .init(operationID: \(Self.literal(operation.operationID)), method: \(Self.literal(operation.method)), "
            source += "path: \(Self.literal(operation.path)), permission: \(Self.literal(operation.permission))),\n"
        }
        source += "    ]\n}\n"
        return source
    }

    /// A Swift string literal of `text`.
    private static func literal(_ text: String) -> String {
        var escaped = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": escaped += "\\\\"
            case "\"": escaped += "\\\""
            case _ where scalar.value < 0x20: escaped += "\\u{\(String(scalar.value, radix: 16))}"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return "\"\(escaped)\""
    }
}
