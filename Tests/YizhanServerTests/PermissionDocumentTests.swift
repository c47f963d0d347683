import HTTPTypes
import Testing
import YizhanAPI
import YizhanIdentity
import YizhanServer
import YizhanStorage
import YizhanStorageSQLite

/// The build-time table of operations (`OpenAPIOperation.all`, from `x-permission` in openapi.yaml)
/// against the routes the application registers and the permissions Yizhan knows.
@Suite
struct PermissionDocumentTests {
    /// Routes whose wire format is not ours and that are deliberately open.
    static let plainPublicRoutes: Set<String> = ["GET /metrics", "GET /openapi.yaml"]

    @Test
    func everyOperationHasARequirementYizhanKnows() {
        let operations = OpenAPIOperation.all
        #expect(operations.count >= 30)
        #expect(Set(operations.map(\.operationID)).count == operations.count, "operation ids are unique")
        for operation in operations {
            let requirement = AccessRequirement(operation.permission)
            #expect(requirement != nil, "\(operation) declares '\(operation.permission)', which Yizhan does not know")
            #expect(AccessRequirement.byOperationID[operation.operationID] == requirement, "\(operation)")
        }
        #expect(AccessRequirement.byOperationID.count == operations.count)
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
            if Self.plainPublicRoutes.contains(name) {
                #expect(route.operation == nil, "\(name) is an operation")
                continue
            }
            let operationID = try #require(route.operationID, "route \(name) is neither an operation of openapi.yaml nor a known plain route")
            #expect(AccessRequirement.byOperationID[operationID] != nil, "route \(name) (\(operationID)) has no requirement")
        }
        // And the other way round: every operation is served, by exactly one route.
        for operation in OpenAPIOperation.all {
            let routes = table.routes.filter { $0.operationID == operation.operationID }
            #expect(routes.count == 1, "\(operation) is served by \(routes.count) routes")
        }
    }

    @Test
    func theDocumentListsExactlyThePermissionsYizhanKnows() {
        // The build accepts an x-permission only from this enum; Yizhan must know each of its names.
        let names = Components.Schemas.PermissionName.allCases.map(\.rawValue)
        #expect(Set(names) == Set(Permission.all.map(\.rawValue)))
        #expect(names.count == Permission.all.count)
    }

    @Test
    func requirementsAreReadByOperationID() {
        let requirements = AccessRequirement.byOperationID
        #expect(requirements["getUser"] == .permission(.usersRead))
        #expect(requirements["resetUserPassword"] == .permission(.usersWrite))
        #expect(requirements["getMe"] == .authenticated)
        #expect(requirements["login"] == .public)
        #expect(requirements["getLiveness"] == .public)
        #expect(requirements["listTenants"] == .permission(.tenantsRead))
        #expect(requirements["nope"] == nil)
    }
}
