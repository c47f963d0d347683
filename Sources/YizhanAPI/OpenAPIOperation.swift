/// One operation of openapi.yaml and what it requires of the caller.
///
/// ``all`` is generated at build time (by `openapi-permission-table`, which the EmbedOpenAPIDocument
/// plugin runs) from each operation's `operationId`, method, path and `x-permission`. The build fails
/// if an operation has no `x-permission` or an unknown one, so every entry has one of: `public`,
/// `authenticated`, or a name of the document's `PermissionName` enum.
package struct OpenAPIOperation: Sendable, CustomStringConvertible {
    /// The `operationId`, which the generated server hands to its middlewares.
    package let operationID: String
    /// The HTTP method, upper case: `GET`.
    package let method: String
    /// The path template: `/api/v1/users/{user_id}`.
    package let path: String
    /// The `x-permission` value: `public`, `authenticated` or a permission name such as `users:read`.
    package let permission: String

    package var description: String { "\(method) \(path) (\(operationID))" }

    /// An operation; ``all`` holds those of the document.
    package init(operationID: String, method: String, path: String, permission: String) {
        self.operationID = operationID
        self.method = method
        self.path = path
        self.permission = permission
    }
}
