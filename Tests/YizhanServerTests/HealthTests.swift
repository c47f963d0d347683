import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import SQLKit
import Testing
import YizhanCore
import YizhanServer
import YizhanStorage
import YizhanTesting

@Suite(.timeLimit(.minutes(2)))
struct HealthTests {
    @Test(arguments: TestEngines.all)
    func readyWhenTheDatabaseAnswersAndTheSchemaIsCurrent(engine: DatabaseEngine) async throws {
        try await withTestApp(engine) { client, _, _ in
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .ok)
                let data = try #require(try response.json()["data"] as? [String: Any])
                let checks = try #require(data["checks"] as? [[String: Any]])
                #expect(checks.map { $0["name"] as? String } == ["database", "migrations"])
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func notReadyWhileMigrationsArePending(engine: DatabaseEngine) async throws {
        try await withTestApp(engine, migrated: false) { client, _, _ in
            try await client.execute(uri: "/health/ready", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                let error = try #require(try response.envelope().error)
                #expect(error.code == "SERVICE_UNAVAILABLE")
                #expect(error.message.contains("yizhan migrate"))
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func systemInfoReportsEngineAndSchemaVersionToAuthenticatedCallersOnly(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, database in
            try await SettingsStore(database: database).set("fixed-id", for: "instance.id")
            let anonymous = try await api.call(.get, "/api/v1/system")
            #expect(anonymous.status == 401)
            #expect(!anonymous.body.contains(YizhanVersion.current))
            _ = try await identity.makeTenant("acme")
            let (token, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            let reply = try await api.call(.get, "/api/v1/system", token: token)
            #expect(reply.status == 200)
            #expect(reply.data["engine"] as? String == engine.rawValue)
            #expect(reply.data["instance_id"] as? String == "fixed-id")
            #expect(reply.data["schema_version"] as? Int == ServerDependencies.migrations.last?.version)
        }
    }

    @Test(arguments: TestEngines.all)
    func metricsCountRequestsByRouteAndStatus(engine: DatabaseEngine) async throws {
        try await withTestApp(engine) { client, _, _ in
            _ = try await client.execute(uri: "/health/live", method: .get)
            _ = try await client.execute(uri: "/missing", method: .get)
            _ = try await client.execute(uri: "/missing", method: HTTPRequest.Method("PURGE")!)
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(text.contains(#"yizhan_http_requests_total{method="GET",route="/health/live",status="200"} 1"#))
                #expect(text.contains(#"route="NotFound",status="404""#))
                #expect(text.contains(#"method="OTHER""#))
                #expect(!text.contains("PURGE"))
                #expect(text.contains("yizhan_http_request_duration_seconds_bucket"))
                #expect(text.contains(#"yizhan_db_pool_connections{state="in_use"}"#))
                #expect(text.contains("yizhan_build_info{"))
            }
        }
    }

    @Test(arguments: TestEngines.postgresOnly)
    func aLostDatabaseIs503AndRecoversWithoutRestart(engine: DatabaseEngine) async throws {
        try await withTestApp(engine, configure: { $0.databaseAcquireTimeoutSeconds = 2 }) { client, _, test in
            try await client.execute(uri: "/health/ready", method: .get) { #expect($0.status == .ok) }
            try await test.takeDatabaseAway()
            try await client.execute(uri: "/api/v1/me", method: .get, headers: [.authorization: "Bearer yz_unknown_key"]) { response in
                #expect(response.status == .serviceUnavailable)
                let code = try response.envelope().error?.code
                #expect(code == "SERVICE_UNAVAILABLE")
            }
            try await client.execute(uri: "/health/ready", method: .get) { #expect($0.status == .serviceUnavailable) }
            try await client.execute(uri: "/health/live", method: .get) { #expect($0.status == .ok) }
            try await test.giveDatabaseBack()
            var recovered = false
            for _ in 0..<40 where !recovered {
                recovered = try await client.execute(uri: "/health/ready", method: .get).status == .ok
                if !recovered { try await Task.sleep(for: .milliseconds(250)) }
            }
            #expect(recovered)
        }
    }
}
