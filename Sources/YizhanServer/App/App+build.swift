import Hummingbird
import Logging
import NIOCore
import OpenAPIRuntime
import Synchronization
import YizhanAPI
import YizhanCore
import YizhanIdentity
import YizhanJobs
import YizhanStorage

/// The composition root of the HTTP API: middleware, generated operations and plain routes.
package enum App {
    /// Builds the router with every route; `extraRoutes` lets tests add routes behind the same edge.
    package static func buildRouter(
        _ dependencies: ServerDependencies,
        extraRoutes: (Router<AppRequestContext>) -> Void = { _ in }
    ) throws -> (router: Router<AppRequestContext>, routes: RouteTable) {
        let router = Router(context: AppRequestContext.self)
        let routeTable = RouteTableBox()
        let timestamps = ResponseTimestamp(clock: dependencies.clock)
        router.add(
            middleware: EdgeMiddleware(
                maxBodyBytes: dependencies.configuration.maxBodyBytes,
                clientAddresses: ClientAddressResolver(trustedProxies: Set(dependencies.configuration.trustedProxies)),
                routeTable: { routeTable.value },
                metrics: HTTPMetrics(factory: dependencies.metrics.factory),
                accessLog: AccessLog(logger: dependencies.logger),
                timestamps: timestamps,
                logger: dependencies.logger
            )
        )
        let migrator = dependencies.migrator
        let handler = APIHandler(
            database: dependencies.database,
            migrator: migrator,
            readiness: ReadinessProbe(database: dependencies.database, migrator: migrator),
            role: dependencies.configuration.role,
            startedAt: dependencies.startedAt,
            identity: dependencies.identity,
            credentials: dependencies.credentials,
            jobs: dependencies.jobs,
            messaging: dependencies.messaging,
            timestamps: timestamps
        )
        // Authorization is a middleware of the generated server: it is handed the operation id, and
        // runs before the request is decoded.
        let auth = AuthMiddleware(
            requirements: AccessRequirement.byOperationID,
            principals: dependencies.identity.principals,
            rateLimiter: dependencies.identity.rateLimiter
        )
        // Compact JSON: the runtime's default pretty-prints with sorted keys, which costs every
        // response bytes and time. Keys come out in the schema's order either way.
        try handler.registerHandlers(
            on: OpenAPIRouterTransport(router: router),
            configuration: .init(dateTranscoder: RFC3339DateTranscoder(), jsonEncodingOptions: [.withoutEscapingSlashes]),
            middlewares: [auth])
        addPlainRoutes(to: router, dependencies, timestamps: timestamps)
        if dependencies.configuration.testRoutes { TestRoutes.add(to: router, dependencies, timestamps: timestamps) }
        extraRoutes(router)
        let table = RouteTable(router: router)
        routeTable.value = table
        return (router, table)
    }

    /// Builds the application listening on the configured host and port.
    package static func buildApplication(
        _ dependencies: ServerDependencies,
        extraRoutes: (Router<AppRequestContext>) -> Void = { _ in },
        onServerRunning: @escaping @Sendable (any Channel) async -> Void = { _ in }
    ) throws -> some ApplicationProtocol {
        let (router, _) = try buildRouter(dependencies, extraRoutes: extraRoutes)
        dependencies.metrics.recordBuildInfo(
            engine: dependencies.database.engine, role: dependencies.configuration.role.rawValue)
        return Application(
            router: router,
            configuration: .init(
                address: .hostname(dependencies.configuration.host, port: dependencies.configuration.port),
                serverName: "yizhan"
            ),
            onServerRunning: onServerRunning,
            logger: dependencies.logger
        )
    }

    /// Routes whose wire format is not ours: the Prometheus scrape and the OpenAPI document.
    /// With `metrics.token` set, the scrape needs `Authorization: Bearer <token>`.
    private static func addPlainRoutes(
        to router: Router<AppRequestContext>, _ dependencies: ServerDependencies, timestamps: ResponseTimestamp
    ) {
        let metrics = dependencies.metrics
        let database = dependencies.database
        let token = dependencies.configuration.metricsToken
        let jobs = dependencies.jobs.admin
        let logger = dependencies.logger
        router.get("/metrics") { request, _ in
            if let token, !MetricsToken.matches(request.headers[.authorization], token: token) {
                throw YizhanError(
                    .unauthorized, "The metrics need Authorization: Bearer <metrics token>.",
                    headers: ["WWW-Authenticate": "Bearer"])
            }
            let queues: [QueueSummary]?
            do { queues = try await jobs.queueSummaries(tenantID: nil) } catch {
                logger.warning("cannot read the job queues for the metrics", metadata: ["error": "\(error)"])
                queues = nil
            }
            let body = metrics.render(pool: await database.poolStatistics(), queues: queues)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: body))
            )
        }
        router.get("/openapi.yaml") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/yaml; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(string: OpenAPIDocument.yaml))
            )
        }
    }
}

/// Holds the route table, filled in once every route is registered.
private final class RouteTableBox: Sendable {
    private let storage = Mutex(RouteTable(routes: []))
    var value: RouteTable {
        get { storage.withLock { $0 } }
        set { storage.withLock { $0 = newValue } }
    }
}
