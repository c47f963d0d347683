import AsyncHTTPClient
import Foundation
import Hummingbird
import NIOHTTP1
import Synchronization
import Testing
import UnixSignals
import YizhanServer
import YizhanStorage
import YizhanTesting

@Suite(.serialized, .timeLimit(.minutes(2)))
struct ShutdownTests {
    @Test(arguments: TestEngines.all)
    func aShutdownSignalFinishesEveryAcceptedRequestThenStops(engine: DatabaseEngine) async throws {
        let test = try await TestDatabase.create(engine)
        defer { Task { try? await test.remove() } }
        var configuration = YizhanConfiguration()
        configuration.port = 0
        configuration.shutdownGracePeriodSeconds = 10
        configuration.masterKey = testMasterKey
        switch engine {
        case .sqlite: configuration.dataDirectory = (test.location as NSString).deletingLastPathComponent + "/" + UUID().uuidString
        case .postgres: configuration.databaseURL = test.location
        }
        let started = Mutex(0)
        let (ports, portSink) = AsyncStream.makeStream(of: Int.self)
        let server = Task {
            try await Server.run(
                configuration: configuration,
                logger: quietLogger,
                extraRoutes: { router in
                    router.get("/test/slow") { _, _ in
                        started.withLock { $0 += 1 }
                        try await Task.sleep(for: .milliseconds(800))
                        return "done"
                    }
                },
                // SIGUSR2, not SIGTERM: Hummingbird's test harnesses running beside this test listen
                // to SIGTERM. The real SIGTERM of the real binary is checked by scripts/e2e/serve.sh.
                shutdownSignals: [.sigusr2],
                onServerRunning: { port in portSink.yield(port) }
            )
        }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())

        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let burst = 24
        let responses = Task {
            try await withThrowingTaskGroup(of: (Int, String).self) { group in
                for _ in 0..<burst {
                    group.addTask {
                        let response = try await client.execute(
                            HTTPClientRequest(url: "http://127.0.0.1:\(port)/test/slow"), timeout: .seconds(20))
                        let body = try await response.body.collect(upTo: 1024)
                        return (Int(response.status.code), String(buffer: body))
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
        }
        while started.withLock({ $0 }) < burst { try await Task.sleep(for: .milliseconds(10)) }
        kill(getpid(), SIGUSR2)

        let results = try await responses.value
        #expect(results.count == burst)
        #expect(results.allSatisfy { $0 == (200, "done") })
        try await server.value  // returns normally: a clean exit
        await #expect(throws: (any Error).self) {
            _ = try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/health/live"), timeout: .seconds(2))
        }
        try await client.shutdown()
    }
}
