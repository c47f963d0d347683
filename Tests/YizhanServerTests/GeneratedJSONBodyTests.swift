import HTTPTypes
import HummingbirdTesting
import NIOCore
import Synchronization
import Testing
import YizhanAPI
import YizhanStorage
import YizhanTesting

#if DEBUG
/// The generated server's JSON bodies go through `CompactJSONEncoder` (the `Converter` extension in
/// YizhanAPI shadows the runtime's method), with a `Content-Length` that matches the bytes.
@Suite(.timeLimit(.minutes(1)))
struct GeneratedJSONBodyTests {
    @Test(arguments: TestEngines.all)
    func generatedOperationsWriteTheirBodiesWithTheCompactEncoder(engine: DatabaseEngine) async throws {
        try await withTestApp(engine) { client, _, _ in
            let before = CompactJSONBodies.encoded.load(ordering: .relaxed)
            try await client.execute(uri: "/health/live", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.headers[.contentLength] == String(response.body.readableBytes))
                let body = String(buffer: response.body)
                #expect(body.hasPrefix(#"{"success":true,"data":{"status":"ok""#))
            }
            #expect(CompactJSONBodies.encoded.load(ordering: .relaxed) > before)
        }
    }
}
#endif
