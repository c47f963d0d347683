import YizhanAPI

extension AccessRequirement {
    /// What each operation of openapi.yaml requires, by operation id: ``OpenAPIOperation/all``,
    /// generated at build time from `x-permission`, read once.
    ///
    /// The build refuses an operation without a known `x-permission`. One naming a permission that
    /// the document lists but ``Permission`` does not know is left out, so ``AuthMiddleware``
    /// answers it 403 (closed); `PermissionDocumentTests` fails on it.
    package static let byOperationID: [String: AccessRequirement] = Dictionary(
        OpenAPIOperation.all.compactMap { operation in
            AccessRequirement(operation.permission).map { (operation.operationID, $0) }
        },
        uniquingKeysWith: { first, _ in first })
}
