import Hummingbird
import NIOCore

/// `yizhan-bench floor PORT`: the floor under `/health/live` on this machine, this minute.
///
/// The same Hummingbird, event loops and executors as `yizhan serve`, with one route that answers
/// a fixed envelope of the same size, and nothing else: no OpenAPI layer, middleware, metrics or
/// access line. The VM this project is measured on drifts in speed by half from hour to hour, so
/// scripts/bench/health.sh runs this beside `yizhan serve` and reports the ratio as well as the
/// rate.
func runFloorServer(port: Int) async throws {
    let body = ByteBuffer(
        string: #"{"success":true,"data":{"status":"ok","checks":[]},"meta":{"request_id":"9f1c2a7b3e5d4c6a8b0e1f2a3b4c5d6e","timestamp":"2026-12-02T00:00:00.000Z"}}"#)
    let router = Router()
    router.get("/health/live") { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: body))
    }
    let app = Application(
        router: router, configuration: .init(address: .hostname("127.0.0.1", port: port), serverName: "yizhan"))
    try await app.runService()
}
