import Foundation
import Testing
import YizhanCore
import YizhanTesting

@Suite
struct YizhanErrorTests {
    @Test
    func codesHaveStableWireNamesAndStatuses() {
        let expected: [(YizhanError.Code, String, Int)] = [
            (.validationError, "VALIDATION_ERROR", 400), (.badRequest, "BAD_REQUEST", 400),
            (.unauthorized, "UNAUTHORIZED", 401), (.forbidden, "FORBIDDEN", 403), (.notFound, "NOT_FOUND", 404),
            (.methodNotAllowed, "METHOD_NOT_ALLOWED", 405), (.notAcceptable, "NOT_ACCEPTABLE", 406),
            (.conflict, "CONFLICT", 409), (.payloadTooLarge, "PAYLOAD_TOO_LARGE", 413),
            (.unsupportedMediaType, "UNSUPPORTED_MEDIA_TYPE", 415), (.rateLimited, "RATE_LIMITED", 429),
            (.quotaExceeded, "QUOTA_EXCEEDED", 429), (.internalError, "INTERNAL_ERROR", 500),
            (.serviceUnavailable, "SERVICE_UNAVAILABLE", 503), (.appDisabled, "APP_DISABLED", 409),
            (.masterKeyMissing, "MASTER_KEY_MISSING", 503), (.contactNotFound, "CONTACT_NOT_FOUND", 404),
            (.providerError, "PROVIDER_ERROR", 502),
        ]
        for (code, name, status) in expected {
            #expect(code.rawValue == name)
            #expect(code.httpStatus == status)
        }
    }

    @Test
    func failureEnvelopeHasErrorAndMetaButNoData() throws {
        let error = YizhanError(.notFound, "No such app.", details: ["id": 7])
        let envelope = ResponseEnvelope<EmptyPayload>.failure(error, meta: ResponseMeta(requestID: "r1", timestamp: "2026-12-01T00:00:00Z"))
        let json = try #require(
            JSONSerialization.jsonObject(with: JSONEncoder().encode(envelope)) as? [String: Any])
        #expect(json["success"] as? Bool == false)
        #expect(json["data"] == nil)
        let body = try #require(json["error"] as? [String: Any])
        #expect(body["code"] as? String == "NOT_FOUND")
        #expect((body["details"] as? [String: Any])?["id"] as? Int == 7)
        #expect((json["meta"] as? [String: Any])?["request_id"] as? String == "r1")
    }

    @Test
    func jsonValuesRoundTrip() throws {
        let value: JSONValue = .object(["a": .array([1, "two", true, .null, .double(2.5)]), "b": .object([:])])
        let decoded = try JSONDecoder().decode(JSONValue.self, from: JSONEncoder().encode(value))
        #expect(decoded == value)
    }
}

@Suite
struct ResponseTimestampTests {
    @Test
    func isISO8601UTCToTheSecondAndAdvancesWithTheClock() {
        let clock = ManualTimeSource()
        let timestamps = ResponseTimestamp(clock: clock)
        let first = timestamps.now()
        #expect(first == "2026-12-01T00:00:00Z")
        clock.advance(by: .milliseconds(999))
        #expect(timestamps.now() == first)
        clock.advance(by: .milliseconds(1))
        #expect(timestamps.now() == "2026-12-01T00:00:01Z")
    }
}
