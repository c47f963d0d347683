import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOEmbedded
import YizhanServer
import YizhanStorage
import YizhanStorageSQLite

/// `yizhan-bench stack`: the CPU time of one request through Yizhan's router in this process, with
/// no socket, kernel or HTTP codec: a plain route that answers a fixed envelope on a bare router (the
/// floor's), the same route behind the edge and auth middlewares, and `/health/live` through the
/// generated OpenAPI server behind them. The differences are what the middlewares and the OpenAPI
/// layer cost a request (scripts/bench/stack.sh).
func benchmarkRequestStack() async throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("yizhan-stack-\(getpid())")
    defer { try? FileManager.default.removeItem(at: directory) }
    let quiet = Logger(label: "bench") { _ in SwiftLogNoOpLogHandler() }
    let database = try SQLiteDatabase(configuration: .init(path: directory.appendingPathComponent("yizhan.sqlite").path), logger: quiet)
    _ = try await Migrator(database: database, migrations: ServerDependencies.migrations, logger: quiet).migrate()
    // The access line is formatted as in production and thrown away.
    let logger = LoggerFactory(format: .text, level: .info, sink: LogSink { _ in }).makeLogger(label: "yizhan")
    let dependencies = try ServerDependencies(configuration: YizhanConfiguration(), database: database, logger: logger)
    let envelope = ByteBuffer(
        string: #"{"success":true,"data":{"status":"ok","checks":[]},"meta":{"request_id":"9f1c2a7b3e5d4c6a8b0e1f2a3b4c5d6e","timestamp":"2026-12-02T00:00:00.000Z"}}"#)
    let plain: @Sendable (Request, AppRequestContext) -> Response = { _, _ in
        Response(status: .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: envelope))
    }
    let (router, _) = try App.buildRouter(dependencies) { router in router.get("/bench/plain", use: plain) }
    // The floor: the same route on a router with nothing else (what `yizhan-bench floor` serves).
    let bare = Router(context: AppRequestContext.self)
    bare.get("/bench/plain", use: plain)
    let floor = bare.buildResponder(), responder = router.buildResponder()
    let cases = [
        ("a bare router", floor, "/bench/plain"), ("the router", responder, "/bench/plain"),
        ("the router", responder, "/health/live"),
    ]
    let channel = EmbeddedChannel()
    let source = ApplicationRequestContextSource(channel: channel, logger: logger)

    for _ in 0..<2 {
        for (name, responder, path) in cases {
            try await measureAsync("GET \(path) through \(name)") {
                let request = Request(
                    head: HTTPRequest(method: .get, scheme: "http", authority: "127.0.0.1", path: path),
                    body: RequestBody(buffer: ByteBuffer()))
                let response = try await responder.respond(to: request, context: AppRequestContext(source: source))
                guard response.status == .ok else { fatalError("GET \(path) answered \(response.status)") }
                try await response.body.write(DiscardingBodyWriter())
            }
        }
    }
    await database.close()
}

/// Like `measure`, for async work; prints the rate and the time per call.
func measureAsync(_ name: String, seconds: Double = 3, _ body: () async throws -> Void) async rethrows {
    for _ in 0..<1000 { try await body() }  // warm-up
    var count = 0
    let start = Date()
    while Date().timeIntervalSince(start) < seconds {
        for _ in 0..<1000 { try await body() }
        count += 1000
    }
    let elapsed = Date().timeIntervalSince(start)
    print("\(name): \(Int(Double(count) / elapsed)) per second, \((elapsed * 1e7 / Double(count)).rounded() / 10) µs each")
}

/// A response body writer that drops what it is given.
private struct DiscardingBodyWriter: ResponseBodyWriter {
    func write(_ buffer: ByteBuffer) async throws {}
    func finish(_ headers: HTTPFields?) async throws {}
}
