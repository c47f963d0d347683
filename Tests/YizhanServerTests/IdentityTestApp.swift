import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Logging
import NIOCore
import NIOFoundationCompat
import YizhanCore
import YizhanIdentity
import YizhanServer
import YizhanStorage
import YizhanTesting

/// The real application with its identity layer on an isolated database of `engine`, with a cheap
/// bcrypt cost; `body` gets an HTTP client and the identity services to arrange data with.
func withIdentityTestApp(
    _ engine: DatabaseEngine,
    logger: Logger = quietLogger,
    mode: TestingSetup = .router,
    configure: (inout YizhanConfiguration) -> Void = { _ in },
    clock: ManualTimeSource = ManualTimeSource(start: Date()),
    _ body: @escaping @Sendable (APIClient, Identity, any Database) async throws -> Void
) async throws {
    var configuration = YizhanConfiguration()
    configuration.port = 0
    configuration.masterKey = testMasterKey
    configuration.providerEgress = sandboxEgress
    configuration.databaseAcquireTimeoutSeconds = TestDatabase.defaultAcquireTimeout / .seconds(1)
    configuration.bcryptCost = 4
    configuration.authSigningKeys = try SigningKey.parseList("test-1:\(String(repeating: "s", count: 40))")
    configure(&configuration)
    try await TestDatabase.with(
        engine, migrations: ServerDependencies.migrations, acquireTimeout: configuration.databaseAcquireTimeout
    ) { [configuration] database, _ in
        let dependencies = try ServerDependencies(configuration: configuration, database: database, logger: logger, clock: clock)
        let app = try App.buildApplication(dependencies)
        try await app.test(mode) { client in
            try await body(APIClient(client: client), dependencies.identity, database)
        }
    }
}

/// The server's dependencies (no HTTP) on an isolated database of `engine`, with a cheap bcrypt
/// cost and a tenant `acme` whose id `body` gets.
func withServerDependencies(
    _ engine: DatabaseEngine, logger: Logger = quietLogger, _ body: @escaping @Sendable (ServerDependencies, _ tenantID: String) async throws -> Void
) async throws {
    var configuration = YizhanConfiguration()
    configuration.masterKey = testMasterKey
    configuration.providerEgress = sandboxEgress
    configuration.bcryptCost = 4
    try await TestDatabase.with(engine, migrations: ServerDependencies.migrations) { [configuration] database, _ in
        let dependencies = try ServerDependencies(configuration: configuration, database: database, logger: logger)
        try await body(dependencies, try await dependencies.identity.makeTenant("acme").tenant.id)
    }
}

/// JSON requests against the test application.
struct APIClient: Sendable {
    /// A decoded response.
    struct Reply: @unchecked Sendable {
        var status: Int
        var headers: HTTPFields
        var body: String
        var json: [String: Any]
        var data: [String: Any] { json["data"] as? [String: Any] ?? [:] }
        var errorCode: String? { (json["error"] as? [String: Any])?["code"] as? String }
    }

    let client: any TestClientProtocol

    func call(
        _ method: HTTPRequest.Method, _ uri: String, token: String? = nil, apiKey: String? = nil, json: [String: Any]? = nil,
        rawBody: String? = nil, headers extra: HTTPFields = [:]
    ) async throws -> Reply {
        var headers = extra
        if let token { headers[.authorization] = "Bearer \(token)" }
        if let apiKey { headers[HTTPField.Name("X-API-Key")!] = apiKey }
        var body: ByteBuffer?
        if let json {
            headers[.contentType] = "application/json"
            body = ByteBuffer(data: try JSONSerialization.data(withJSONObject: json))
        }
        if let rawBody {  // JSON written by hand, for what JSONSerialization would not write
            headers[.contentType] = "application/json"
            body = ByteBuffer(string: rawBody)
        }
        return try await client.execute(uri: uri, method: method, headers: headers, body: body) { response in
            let data = Data(buffer: response.body)
            return Reply(
                status: Int(response.status.code), headers: response.headers,
                body: String(decoding: data, as: UTF8.self),
                json: (try? JSONSerialization.jsonObject(with: data) as? [String: Any]) ?? [:])
        }
    }

    /// Logs in over HTTP and returns the access and refresh tokens.
    func login(_ tenant: String, _ email: String, _ password: String) async throws -> (access: String, refresh: String) {
        let reply = try await call(.post, "/api/v1/auth/login", json: ["tenant": tenant, "email": email, "password": password])
        guard reply.status == 200, let access = reply.data["access_token"] as? String, let refresh = reply.data["refresh_token"] as? String else {
            throw YizhanError(.unauthorized, "login failed: \(reply.status) \(reply.body)")
        }
        return (access, refresh)
    }
}

let ownerPassword = "owner's long password"

extension Identity {
    /// A tenant with an owner `owner@<code>.test`.
    func makeTenant(_ code: String, quotas: TenantQuotas = .init()) async throws -> (tenant: Tenant, owner: User) {
        let created = try await tenants.create(
            code: code, name: "Tenant \(code)", quotas: quotas, owner: .init(email: "owner@\(code).test", password: ownerPassword))
        return (created.tenant, created.owner!)
    }

    /// The platform tenant and its administrator `root@platform.test`.
    func makePlatform() async throws -> Tenant {
        guard case .created = try await IdentityBootstrap.run(self, adminEmail: "root@platform.test", adminPassword: ownerPassword) else {
            throw YizhanError(.conflict, "platform exists")
        }
        return try await tenants.tenant(code: Tenant.platformCode)!
    }
}
