import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import Testing
import YizhanServer
import YizhanStorage
import YizhanTesting

@Suite(.timeLimit(.minutes(2)))
struct EnvelopeTests {
    @Test(arguments: TestEngines.all)
    func livenessAnswersTheEnvelopeAndEchoesTheRequestID(engine: DatabaseEngine) async throws {
        try await withTestApp(engine) { client, _, _ in
            try await client.execute(uri: "/health/live", method: .get, headers: [.requestID: "trace-42"]) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.requestID] == "trace-42")
                let json = try response.json()
                #expect(json["success"] as? Bool == true)
                #expect((json["data"] as? [String: Any])?["status"] as? String == "ok")
                #expect((json["meta"] as? [String: Any])?["request_id"] as? String == "trace-42")
            }
            try await client.execute(uri: "/health/live", method: .get) { response in
                let generated = try #require(response.headers[.requestID])
                #expect(generated.count == 32)
                #expect(try response.envelope().meta.request_id == generated)
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func unknownRouteIsA404InTheEnvelope(engine: DatabaseEngine) async throws {
        try await withTestApp(engine) { client, _, _ in
            try await client.execute(uri: "/nope", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.headers[.contentType]?.hasPrefix("application/json") == true)
                let envelope = try response.envelope()
                #expect(envelope.success == false)
                #expect(envelope.error?.code == "NOT_FOUND")
                #expect(envelope.meta.request_id == response.headers[.requestID])
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func wrongMethodIsA405WithAllow(engine: DatabaseEngine) async throws {
        try await withTestApp(engine) { client, _, _ in
            try await client.execute(uri: "/health/live", method: .delete) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "GET")
                let code = try response.envelope().error?.code
                #expect(code == "METHOD_NOT_ALLOWED")
            }
            // A literal segment wins over a parameter, as the router decides: `/messages/batch` is
            // POST only, not also the GET of `/messages/{message_id}`.
            try await client.execute(uri: "/api/v1/messages/batch", method: .options) { response in
                #expect(response.status == .methodNotAllowed)
                #expect(response.headers[.allow] == "POST")
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func malformedJSONIsAValidationError(engine: DatabaseEngine) async throws {
        try await withTestApp(engine) { client, _, _ in
            try await client.execute(
                uri: "/api/v1/diagnostics/echo", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: "{\"message\": ")
            ) { response in
                #expect(response.status == .badRequest)
                let code = try response.envelope().error?.code
                #expect(code == "VALIDATION_ERROR")
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func anUnknownMemberIsNamedAsUnknownEvenWhenItHoldsAFraction(engine: DatabaseEngine) async throws {
        try await withTestApp(engine) { client, _, _ in
            try await client.execute(
                uri: "/api/v1/diagnostics/echo", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"message": "hi", "weight": 1.5}"#)
            ) { response in
                #expect(response.status == .badRequest)
                let error = try #require(try response.envelope().error)
                #expect(error.code == "VALIDATION_ERROR")
                #expect(error.details?["field"]?.value as? String == "weight")
                #expect(error.message.contains("Additional properties") && !error.message.contains("integer"))
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func missingAndMistypedFieldsAreNamed(engine: DatabaseEngine) async throws {
        try await withTestApp(engine) { client, _, _ in
            for (body, field) in [("{}", "message"), ("{\"message\": 5}", "message")] {
                try await client.execute(
                    uri: "/api/v1/diagnostics/echo", method: .post, headers: [.contentType: "application/json"],
                    body: ByteBuffer(string: body)
                ) { response in
                    #expect(response.status == .badRequest)
                    let error = try #require(try response.envelope().error)
                    #expect(error.code == "VALIDATION_ERROR")
                    #expect(error.details?["field"]?.value as? String == field)
                    #expect(error.message.contains("'\(field)'"))
                }
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func echoReturnsTheMessageInTheEnvelope(engine: DatabaseEngine) async throws {
        try await withTestApp(engine) { client, _, _ in
            try await client.execute(
                uri: "/api/v1/diagnostics/echo", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"message":"驿站 ok"}"#)
            ) { response in
                #expect(response.status == .ok)
                let data = try #require(try response.json()["data"] as? [String: Any])
                #expect(data["message"] as? String == "驿站 ok")
                #expect(data["length"] as? Int == 5)
            }
            try await client.execute(
                uri: "/api/v1/diagnostics/echo", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: #"{"message":""}"#)
            ) { response in
                #expect(response.status == .badRequest)
                let code = try response.envelope().error?.code
                #expect(code == "VALIDATION_ERROR")
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func wrongContentTypeIsA415(engine: DatabaseEngine) async throws {
        try await withTestApp(engine) { client, _, _ in
            try await client.execute(
                uri: "/api/v1/diagnostics/echo", method: .post, headers: [.contentType: "text/plain"],
                body: ByteBuffer(string: "hello")
            ) { response in
                #expect(response.status == .unsupportedMediaType)
                let code = try response.envelope().error?.code
                #expect(code == "UNSUPPORTED_MEDIA_TYPE")
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func bodiesOverTheLimitAreA413(engine: DatabaseEngine) async throws {
        try await withTestApp(engine, configure: { $0.maxBodyBytes = 2048 }) { client, _, _ in
            let big = "{\"message\":\"" + String(repeating: "x", count: 4096) + "\"}"
            try await client.execute(
                uri: "/api/v1/diagnostics/echo", method: .post, headers: [.contentType: "application/json"],
                body: ByteBuffer(string: big)
            ) { response in
                #expect(response.status == .contentTooLarge)
                let error = try #require(try response.envelope().error)
                #expect(error.code == "PAYLOAD_TOO_LARGE")
                #expect(error.details?["limit_bytes"]?.value as? Int == 2048)
            }
        }
    }

    @Test(arguments: TestEngines.all)
    func openAPIDocumentIsServed(engine: DatabaseEngine) async throws {
        try await withTestApp(engine) { client, _, _ in
            try await client.execute(uri: "/openapi.yaml", method: .get) { response in
                #expect(response.status == .ok)
                let text = String(buffer: response.body)
                #expect(text.hasPrefix("openapi: 3.1"))
                #expect(text.contains("/health/ready:"))
            }
        }
    }
}
