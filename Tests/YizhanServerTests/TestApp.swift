import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import NIOFoundationCompat
import YizhanCredentials
import YizhanServer
import YizhanStorage
import YizhanTesting

/// Builds the real application on an isolated database of `engine` and tests it through the router.
func withTestApp(
    _ engine: DatabaseEngine,
    migrated: Bool = true,
    configure: (inout YizhanConfiguration) -> Void = { _ in },
    extraRoutes: @escaping @Sendable (Router<AppRequestContext>) -> Void = { _ in },
    _ body: @escaping @Sendable (any TestClientProtocol, any Database, TestDatabase) async throws -> Void
) async throws {
    var configuration = YizhanConfiguration()
    configuration.port = 0
    configuration.masterKey = testMasterKey
    configuration.providerEgress = sandboxEgress
    configuration.databaseAcquireTimeoutSeconds = TestDatabase.defaultAcquireTimeout / .seconds(1)
    configure(&configuration)
    try await TestDatabase.with(
        engine, migrations: migrated ? ServerDependencies.migrations : [], acquireTimeout: configuration.databaseAcquireTimeout
    ) { [configuration] database, test in
        let dependencies = try ServerDependencies(configuration: configuration, database: database, logger: quietLogger)
        let app = try App.buildApplication(dependencies, extraRoutes: extraRoutes)
        try await app.test(.router) { client in try await body(client, database, test) }
    }
}

/// Apps may call the sandbox on the loopback interface beside the providers' public APIs.
let sandboxEgress = ProviderEgressPolicy(entries: [.host("127.0.0.1"), .host("localhost")])

/// A fixed master key, so tests never write `./yizhan-data/master.key`.
let testMasterKey = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8="

let quietLogger: Logger = {
    var logger = Logger(label: "yizhan.test")
    logger.logLevel = .warning
    return logger
}()

/// The decoded envelope of a response.
struct Envelope: Decodable {
    struct ErrorBody: Decodable {
        var code: String
        var message: String
        var details: [String: JSONAny]?
    }
    struct Meta: Decodable {
        var request_id: String
        var timestamp: String
    }
    var success: Bool
    var error: ErrorBody?
    var meta: Meta
}

/// Any JSON value, for loose assertions.
struct JSONAny: Decodable {
    let value: Any
    init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if let string = try? container.decode(String.self) { value = string }
        else if let int = try? container.decode(Int.self) { value = int }
        else if let bool = try? container.decode(Bool.self) { value = bool }
        else if let array = try? container.decode([JSONAny].self) { value = array.map(\.value) }
        else if let object = try? container.decode([String: JSONAny].self) { value = object.mapValues(\.value) }
        else { value = NSNull() }
    }
}

extension TestResponse {
    func envelope() throws -> Envelope {
        try JSONDecoder().decode(Envelope.self, from: Data(buffer: body))
    }

    func json() throws -> [String: Any] {
        (try JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]) ?? [:]
    }
}
