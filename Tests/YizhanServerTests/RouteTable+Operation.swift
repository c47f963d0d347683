import Hummingbird
import YizhanAPI
import YizhanServer

extension RouteTable.Route {
    /// The operation of openapi.yaml this route serves, matched by method and path template; nil for
    /// a plain route (`/metrics`, `/openapi.yaml`).
    var operation: OpenAPIOperation? {
        OpenAPIOperation.all.first { $0.method == method.rawValue && RouterPath($0.path).description == path.description }
    }

    /// The `operationId` of ``operation``.
    var operationID: String? { operation?.operationID }
}
