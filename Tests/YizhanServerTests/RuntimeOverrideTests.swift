import HTTPTypes
import OpenAPIRuntimeOverrides
import Synchronization
import Testing
import YizhanIdentity
import YizhanStorage
import YizhanTesting

/// One test for each override of a swift-openapi-runtime `Converter` method in
/// `OpenAPIRuntimeOverrides`: each checks what only ours does, so it fails when the generated server
/// calls the runtime's method instead (the module not imported by the generated code, a runtime
/// version whose method ranks higher, a signature that drifted).
@Suite(.timeLimit(.minutes(2)))
struct RuntimeOverrideTests {
    #if DEBUG
    /// Guards `Converter.setResponseBodyAsJSON` (Converter+CompactJSON.swift): the runtime's writes
    /// the same bytes with a `JSONEncoder`, so only the encoder's counter tells them apart.
    @Test(arguments: TestEngines.all)
    func responseBodiesAreWrittenByTheCompactEncoder(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, _, _ in
            let before = CompactJSONBodies.encoded.load(ordering: .relaxed)
            let reply = try await api.call(.get, "/health/live")
            #expect(reply.status == 200)
            #expect(reply.headers[.contentLength] == String(reply.body.utf8.count))
            #expect(reply.body.hasPrefix(#"{"success":true,"data":{"status":"ok""#))
            #expect(CompactJSONBodies.encoded.load(ordering: .relaxed) > before)
        }
    }
    #endif

    /// Guards `Converter.getOptionalQueryItemAsURI(in:style:explode:name:as: Date.Type)`
    /// (Converter+DateQueryItem.swift): the runtime's error for a bad date carries no name.
    @Test(arguments: TestEngines.all)
    func aRefusedDateQueryParameterIsNamed(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, _ in
            _ = try await identity.makeTenant("acme")
            let (owner, _) = try await api.login("acme", "owner@acme.test", ownerPassword)
            let reply = try await api.call(.get, "/api/v1/audit-logs?until=yesterday", token: owner)
            #expect(reply.status == 400)
            #expect(reply.errorCode == "VALIDATION_ERROR")
            #expect(((reply.json["error"] as? [String: Any])?["details"] as? [String: Any])?["field"] as? String == "until")
            #expect(reply.body.contains("Parameter 'until' must be an RFC 3339 date-time"))
        }
    }

    /// Guards `Converter.getRequiredRequestBodyAsJSON` (Converter+RequestBodyJSON.swift): with the
    /// runtime's, a bad date and a number no integer takes are both "not valid JSON", with no field.
    @Test(arguments: TestEngines.all)
    func aRefusedDateOrNumberInABodyIsNamed(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, identity, _ in
            _ = try await identity.makePlatform()
            let (root, _) = try await api.login("platform", "root@platform.test", ownerPassword)
            let date = try await api.call(
                .post, "/api/v1/api-keys", token: root, rawBody: #"{"name":"ci","permissions":["users:read"],"expires_at":"tomorrow"}"#)
            #expect(date.status == 400)
            #expect(((date.json["error"] as? [String: Any])?["details"] as? [String: Any])?["field"] as? String == "expires_at")
            #expect(date.body.contains("RFC 3339"))

            let number = try await api.call(
                .post, "/api/v1/tenants", token: root, rawBody: #"{"code":"acme","name":"Acme","quotas":{"max_apps":1.5}}"#)
            #expect(number.status == 400)
            #expect(((number.json["error"] as? [String: Any])?["details"] as? [String: Any])?["field"] as? String == "quotas.max_apps")
            #expect(number.body.contains("must be an integer"))
        }
    }

    /// Guards `ErrorMapper`'s reading of body errors by their type and path, not Foundation's words:
    /// broken JSON is data corrupted at the root; an unknown member is refused by the runtime with a
    /// path that names it.
    @Test(arguments: TestEngines.all)
    func brokenJSONAndAnUnknownMemberAreToldApart(engine: DatabaseEngine) async throws {
        try await withIdentityTestApp(engine) { api, _, _ in
            let broken = try await api.call(.post, "/api/v1/auth/login", rawBody: #"{"tenant":"#)
            #expect(broken.status == 400)
            #expect(broken.errorCode == "VALIDATION_ERROR")
            #expect(((broken.json["error"] as? [String: Any])?["message"] as? String) == "The request body is not valid JSON.")

            let unknown = try await api.call(
                .post, "/api/v1/auth/login", rawBody: #"{"tenant":"acme","email":"a@acme.test","password":"pw","remember":true}"#)
            #expect(unknown.status == 400)
            #expect(unknown.errorCode == "VALIDATION_ERROR")
            let error = unknown.json["error"] as? [String: Any]
            #expect((error?["details"] as? [String: Any])?["field"] as? String == "remember")
            #expect((error?["message"] as? String)?.hasPrefix("Field 'remember' is invalid") == true, "\(unknown.body)")
        }
    }
}
