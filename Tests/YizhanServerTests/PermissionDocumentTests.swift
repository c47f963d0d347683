import HTTPTypes
import Testing
import Yams
import YizhanAPI
import YizhanIdentity
import YizhanServer
import YizhanStorage
import YizhanStorageSQLite

@Suite
struct PermissionDocumentTests {
    /// Routes whose wire format is not ours and that are deliberately open.
    static let plainPublicRoutes: Set<String> = ["GET /metrics", "GET /openapi.yaml"]

    @Test
    func everyOperationDeclaresAKnownPermission() {
        let operations = OperationPermissions.embedded.operations
        #expect(operations.count >= 30)
        for operation in operations {
            #expect(operation.declared != nil, "\(operation) declares no x-permission")
            #expect(operation.requirement != nil, "\(operation) declares an unknown x-permission '\(operation.declared ?? "")'")
        }
    }

    @Test
    func everyRegisteredRouteIsAnOperationOrAKnownPlainRoute() async throws {
        // Building the router opens nothing: the database is only a handle here.
        let database = try SQLiteDatabase(configuration: .init(path: "/tmp/yizhan-route-walk/unused.sqlite"), logger: quietLogger)
        let dependencies = try ServerDependencies(configuration: YizhanConfiguration(), database: database, logger: quietLogger)
        let (_, table) = try App.buildRouter(dependencies)
        #expect(!table.routes.isEmpty)
        for route in table.routes {
            let name = "\(route.method.rawValue) \(route.path)"
            if Self.plainPublicRoutes.contains(name) { continue }
            #expect(
                OperationPermissions.embedded.contains(method: route.method, routerPath: "\(route.path)"),
                "route \(name) is neither an operation of openapi.yaml (with x-permission) nor a known plain route")
            // The auth middleware finds the operation by the endpoint path the router matched; it
            // must be the operation the concrete path matches.
            let byEndpoint = OperationPermissions.embedded.operation(route.method, endpointPath: "\(route.path)")
            let byPath = OperationPermissions.embedded.operation(route.method, path: Self.concrete("\(route.path)"))
            #expect(byEndpoint != nil && byEndpoint?.operationID == byPath?.operationID, "route \(name)")
        }
        for plain in ["/metrics", "/openapi.yaml"] {
            #expect(OperationPermissions.embedded.operation(.get, endpointPath: plain) == nil)
        }
        // And the other way round: every operation is served.
        for operation in OperationPermissions.embedded.operations {
            let served = table.routes.contains { route in
                route.method == operation.method
                    && OperationPermissions.embedded.operation(route.method, path: Self.concrete("\(route.path)"))?.operationID == operation.operationID
            }
            #expect(served, "\(operation) is in the document but not routed")
        }
    }

    @Test
    func theDocumentListsExactlyThePermissionsYizhanKnows() throws {
        let document = try #require(try Yams.load(yaml: OpenAPIDocument.yaml) as? [String: Any])
        let schemas = (document["components"] as? [String: Any])?["schemas"] as? [String: Any]
        let names = (schemas?["PermissionName"] as? [String: Any])?["enum"] as? [String]
        #expect(Set(names ?? []) == Set(Permission.all.map(\.rawValue)))
        #expect(names?.count == Permission.all.count)
    }

    @Test
    func operationsAreMatchedWithLiteralSegmentsFirst() {
        let permissions = OperationPermissions.embedded
        #expect(permissions.operation(.get, path: "/api/v1/users/usr_1")?.operationID == "getUser")
        #expect(permissions.operation(.post, path: "/api/v1/users/usr_1/password")?.operationID == "resetUserPassword")
        #expect(permissions.operation(.get, path: "/api/v1/me")?.requirement == .authenticated)
        #expect(permissions.operation(.post, path: "/api/v1/auth/login")?.requirement == .public)
        #expect(permissions.operation(.get, path: "/api/v1/tenants")?.requirement == .permission(.tenantsRead))
        #expect(permissions.operation(.get, path: "/api/v1/nope") == nil)
    }

    /// A concrete path for a router path: each parameter replaced by a sample value.
    static func concrete(_ routerPath: String) -> String {
        routerPath.split(separator: "/").map { $0.hasPrefix(":") || $0.hasPrefix("{") ? "x1" : String($0) }
            .reduce("") { $0 + "/" + $1 }
    }
}
